/**
 * A minimal render helper (react-dom + act) for component tests: render into a detached
 * container, read what a user would read, tap what a user would tap.
 */
import { act, type ReactElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

export interface Rendered {
  container: HTMLElement;
  /** All visible text, whitespace collapsed. */
  text(): string;
  /** The innermost element whose own text contains `text`. */
  getByText(text: string | RegExp): HTMLElement;
  queryByText(text: string | RegExp): HTMLElement | null;
  /** Waits (up to `timeoutMs`) until some element shows `text`, e.g. after a server reply. */
  findByText(text: string | RegExp, timeoutMs?: number): Promise<HTMLElement>;
  tap(element: HTMLElement): Promise<void>;
  rerender(ui: ReactElement): Promise<void>;
  unmount(): void;
}

const mounted = new Set<Root>();

export async function render(ui: ReactElement): Promise<Rendered> {
  const container = document.createElement('div');
  document.body.appendChild(container);
  const root = createRoot(container);
  mounted.add(root);
  await act(async () => root.render(ui));

  const matches = (el: Element, text: string | RegExp) => {
    const own = el.textContent ?? '';
    return typeof text === 'string' ? own.includes(text) : text.test(own);
  };
  const queryByText = (text: string | RegExp): HTMLElement | null => {
    const all = Array.from(container.querySelectorAll<HTMLElement>('*')).filter((el) => matches(el, text));
    // The deepest match is the element that shows the text, not one of its ancestors.
    return all.find((el) => !Array.from(el.children).some((child) => matches(child, text))) ?? null;
  };

  return {
    container,
    text: () => (container.textContent ?? '').replace(/\s+/g, ' ').trim(),
    queryByText,
    getByText: (text) => {
      const found = queryByText(text);
      if (!found) throw new Error(`no element shows ${String(text)}; the screen reads: ${container.textContent}`);
      return found;
    },
    findByText: async (text, timeoutMs = 3000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = queryByText(text);
        if (found) return found;
        if (Date.now() > deadline) {
          throw new Error(`nothing showed ${String(text)} within ${timeoutMs} ms; the screen reads: ${container.textContent}`);
        }
        await act(async () => {
          await new Promise((resolve) => setTimeout(resolve, 20));
        });
      }
    },
    tap: async (element) => {
      await act(async () => {
        element.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
      });
    },
    rerender: async (next) => {
      await act(async () => root.render(next));
    },
    unmount: () => {
      act(() => root.unmount());
      mounted.delete(root);
      container.remove();
    },
  };
}

/** Unmounts everything rendered by the test that just ran (called from after-env.js). */
export function cleanup(): void {
  mounted.forEach((root) => act(() => root.unmount()));
  mounted.clear();
  document.body.innerHTML = '';
}
