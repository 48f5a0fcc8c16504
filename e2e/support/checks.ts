/// <reference lib="dom" />
/**
 * What every page and sheet must get right on a phone, as checks over the rendered page. They
 * run inside the browser (`page.evaluate(inspectPage, options)`), so `inspectPage` is
 * self-contained: Playwright sends its source, not its closure.
 *
 * A tappable is a native control (link, button, input, checkbox...) or any element with a click
 * handler. Taro renders its components as custom elements (`taro-view-core`) whose `onClick`
 * lives on the React wrapper just above the element, so the handler is found on the element's
 * React fiber: a new component is checked without marking it up.
 */
import { CHANNELS, MODELS, TAGS, TOUCHPOINT_LABELS } from '../../cloudfunctions/_core/catalog';
import { BRAND_LIVE_TITLES, CAMPAIGNS, LIVE_TITLES, PAST_ACTIVITIES, SURVEYS, materials } from '../../seed/content';
import { STAFF } from '../../seed/directory';

export interface InspectOptions {
  /** Smallest tap target, CSS px (Apple's and WeChat's 44). */
  minTap: number;
  /** Latin words that may show (model and trim names, SUV, EV...). */
  allowedWords: string[];
  /** Ids of people, which must never show (staff ids are pinyin: they read as words). */
  rawIds: string[];
  /** With a sheet or dialog open: the selector of that layer, whose tappables are the ones checked. */
  layer?: string;
}

export interface Findings {
  /** Tappables a fixed bar (tab bar, a sheet's footer, the 记录跟进 bar) or anything else covers. */
  covered: string[];
  /** Tappables smaller than minTap × minTap without a hit area that big. */
  small: string[];
  /** Sideways scrolling, or content cut off at the right edge. */
  sideways: string[];
  /** Raw ids, English placeholders, error traces in what the page shows. */
  text: string[];
}

export function inspectPage(o: InspectOptions): Findings {
  const vw = window.innerWidth;
  const vh = window.innerHeight;
  const findings: Findings = { covered: [], small: [], sideways: [], text: [] };

  const describe = (el: Element): string => {
    const classes = (el.getAttribute('class') ?? '')
      .split(/\s+/)
      .filter((c) => /^(sk-|nut-|weui-|taro-)/.test(c))
      .slice(0, 2);
    const text = ((el as HTMLElement).innerText || el.getAttribute('placeholder') || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ').slice(0, 16);
    return `${el.tagName.toLowerCase()}${classes.length ? `.${classes.join('.')}` : ''}${text ? ` “${text}”` : ''}`;
  };

  type Fiber = { type: unknown; memoizedProps?: Record<string, unknown>; return?: Fiber };
  const own = (el: Element, prefix: string): unknown => {
    const key = Object.keys(el).find((k) => k.startsWith(prefix));
    return key ? (el as unknown as Record<string, unknown>)[key] : undefined;
  };
  const hasClickHandler = (el: Element): boolean => {
    const props = own(el, '__reactProps$') as Record<string, unknown> | undefined;
    if (props && typeof props.onClick === 'function') return true;
    // Taro's components: the handler sits on the wrapper components between this element and the next one up.
    let f = (own(el, '__reactFiber$') as Fiber | undefined)?.return;
    while (f && typeof f.type !== 'string') {
      if (typeof f.memoizedProps?.onClick === 'function') return true;
      f = f.return;
    }
    return false;
  };
  const NATIVE = 'a[href], button, input:not([type=hidden]), textarea, select, [role=button], [role=checkbox], [role=tab], [role=link]';
  const shown = (el: Element): boolean => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
  };
  const all = Array.from(document.querySelectorAll('body *'));
  const tappables = all.filter((el) => {
    if (!(el.matches(NATIVE) || hasClickHandler(el)) || !shown(el)) return false;
    // What a sheet covers cannot be tapped while it is open, on purpose.
    if (o.layer && !el.closest(o.layer)) return false;
    // A backdrop that closes a sheet covers the screen on purpose; the sheet on it is what is checked.
    const r = el.getBoundingClientRect();
    return !(r.width >= vw * 0.95 && r.height >= vh * 0.8);
  });
  const inside = (el: Element, hit: Element | null): boolean => !!hit && (hit === el || el.contains(hit));
  const isTappable = (el: Element) => el.matches(NATIVE) || hasClickHandler(el);
  /**
   * A tap there reaches `el`'s control: `el` itself, or a small control around it (an icon in its
   * button takes the button's taps), not a whole row or card that does something else.
   */
  const reaches = (el: Element, hit: Element | null): boolean => {
    if (inside(el, hit)) return true;
    if (!hit || !hit.contains(el) || !isTappable(hit)) return false;
    const r = hit.getBoundingClientRect();
    return r.width <= o.minTap * 3 && r.height <= o.minTap * 3;
  };
  const coverer = (hit: Element | null): string => {
    for (let x: Element | null = hit; x; x = x.parentElement) {
      const position = getComputedStyle(x).position;
      if (position === 'fixed' || position === 'sticky' || x.tagName === 'TARO-TABBAR') return `the fixed ${describe(x)}`;
    }
    return hit ? describe(hit) : 'nothing (off screen)';
  };

  for (const el of tappables) {
    el.scrollIntoView({ block: 'center', inline: 'center' });
    const r = el.getBoundingClientRect();
    const left = Math.max(r.left, 0);
    const right = Math.min(r.right, vw);
    const top = Math.max(r.top, 0);
    const bottom = Math.min(r.bottom, vh);
    if (right - left < 1 || bottom - top < 1) {
      findings.covered.push(`${describe(el)} cannot be scrolled into view`);
      continue;
    }
    // The middle and the middle of each edge (corners are rounded off and do not take taps).
    const dx = Math.min(4, (right - left) / 4);
    const dy = Math.min(4, (bottom - top) / 4);
    const cx = (left + right) / 2;
    const cy = (top + bottom) / 2;
    const points: [number, number][] = [[cx, cy], [left + dx, cy], [right - dx, cy], [cx, top + dy], [cx, bottom - dy]];
    const blocked = points.map(([x, y]) => document.elementFromPoint(x, y)).find((hit) => !inside(el, hit));
    if (blocked !== undefined) findings.covered.push(`${describe(el)} is covered by ${coverer(blocked)}`);

    if (r.width >= o.minTap - 0.5 && r.height >= o.minTap - 0.5) continue;
    // Smaller than a finger: fine only when a hit area of minTap × minTap around it takes the tap.
    const half = o.minTap / 2 - 1;
    const ex = (r.left + r.right) / 2;
    const ey = (r.top + r.bottom) / 2;
    const clampX = (x: number) => Math.min(Math.max(x, 1), vw - 1);
    const clampY = (y: number) => Math.min(Math.max(y, 1), vh - 1);
    const area: [number, number][] = [[ex - half, ey], [ex + half, ey], [ex, ey - half], [ex, ey + half]];
    if (!area.every(([x, y]) => reaches(el, document.elementFromPoint(clampX(x), clampY(y))))) {
      findings.small.push(`${describe(el)} is ${Math.round(r.width)}×${Math.round(r.height)} px`);
    }
  }

  // Sideways: the page itself, any scroller, and content past the right edge.
  const root = document.scrollingElement ?? document.documentElement;
  if (root.scrollWidth > vw + 1) findings.sideways.push(`the page is ${root.scrollWidth} px wide on a ${vw} px screen`);
  const allowed = (el: Element) => !!el.closest('[data-scroll-x]');
  const scrollers = all.filter((el) => {
    if (!shown(el)) return false;
    const overflow = getComputedStyle(el).overflowX;
    return (overflow === 'auto' || overflow === 'scroll') && el.scrollWidth > el.clientWidth + 1;
  });
  for (const el of scrollers) {
    if (!allowed(el)) findings.sideways.push(`${describe(el)} scrolls sideways (${el.scrollWidth} px in ${el.clientWidth} px)`);
  }
  for (const el of all) {
    if (allowed(el) || scrollers.some((s) => s.contains(el)) || !shown(el)) continue;
    const hasText = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
    if (!hasText && !tappables.includes(el)) continue;
    const r = el.getBoundingClientRect();
    // Wholly off screen is hidden on purpose (a page sliding in); partly is cut off.
    if (r.right > vw + 1 && r.left < vw - 1) findings.sideways.push(`${describe(el)} runs past the right edge (${Math.round(r.right)} px)`);
  }

  // What the page says: Chinese for people, never ids, placeholders or traces.
  const text = document.body.innerText;
  const patterns: [RegExp, string][] = [
    [/\bcus-\d{4,}/, 'a customer id'],
    [/\bfu-[\w-]{4,}/, 'a follow-up id'],
    [/\bm_[0-9a-f]{8,}/, 'a merge id'],
    [/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}/, 'an event id'],
    [/\bstore-[a-z]{2}-/, 'a store id'],
    [/\bw[mr][A-Za-z0-9_-]{10,}/, 'a WeCom id'],
    [/\bo[A-Za-z0-9_-]{27}\b/, 'a WeChat openid'],
    [/\bLS\d{10}\b/, 'an OEM id'],
    [/system:\w+/, 'a system actor'],
    [/\b(undefined|null|NaN|Infinity|TODO|FIXME|lorem|placeholder|Invalid Date)\b|\[object \w+\]/i, 'a programmer’s placeholder'],
    [/\n\s*at \S+ \(|\b\w*Error:|\.(tsx?|jsx?|mjs):\d+|webpack:\/\//, 'an error trace'],
  ];
  for (const [re, what] of patterns) {
    const m = re.exec(text);
    if (m) findings.text.push(`shows ${what}: “${m[0].trim()}”`);
  }
  const raw = new Set(o.rawIds);
  const allowedWords = new Set(o.allowedWords.map((w) => w.toLowerCase()));
  const words = new Set((text.match(/[A-Za-z][A-Za-z]+/g) ?? []).filter((w) => raw.has(w) || !allowedWords.has(w.toLowerCase())));
  if (words.size) findings.text.push(`shows words that are not Chinese: ${[...words].slice(0, 8).join(', ')}`);
  for (const input of Array.from(document.querySelectorAll('input, textarea'))) {
    const placeholder = input.getAttribute('placeholder');
    if (shown(input) && placeholder && !/[\u4e00-\u9fa5]/.test(placeholder)) findings.text.push(`${describe(input)} has the placeholder “${placeholder}”`);
  }
  return findings;
}

/** Latin words the demo's own content uses (model, trim and material names, channels, tags). */
export function allowedWords(): string[] {
  const strings: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') strings.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  // Names people read, not ids (ids are lower-case words, e.g. lanyue, content_view).
  walk([MODELS.map((m) => [m.name, m.fullName, m.segment, m.powertrain, m.trims.map((t) => t.name)]), CHANNELS.map((c) => c.name), TAGS.map((t) => t.name)]);
  walk([TOUCHPOINT_LABELS, CAMPAIGNS, LIVE_TITLES, BRAND_LIVE_TITLES, PAST_ACTIVITIES, SURVEYS, materials(0).map((m) => [m.title, m.summary])]);
  const fromContent = strings.flatMap((s) => s.match(/[A-Za-z][A-Za-z]+/g) ?? []);
  // Words of our own UI that are not Chinese on purpose.
  return [...new Set([...fromContent, 'SUV', 'MPV', 'EV', 'App', 'VIP', 'KOC'])];
}

export function inspectOptions(): InspectOptions {
  return { minTap: 44, allowedWords: allowedWords(), rawIds: STAFF.map((s) => s._id) };
}
