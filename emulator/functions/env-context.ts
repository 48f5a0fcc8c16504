import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Per-invocation environment variables. wx-server-sdk reads the caller's identity
 * (`getWXContext()`: WX_OPENID, WX_APPID, ...) and its endpoint (TCB_CONTEXT_CNFG) from
 * `process.env`, which in the real cloud is one process per call. Here many calls share a
 * process, so `process.env` becomes a Proxy that, inside an invocation, serves that
 * invocation's overlay first. Outside any invocation it serves the default overlay of the
 * most recently started emulator still open (its SDK endpoint, no caller identity), so SDK
 * code run by scripts and tests also talks to the emulator and never to the real cloud.
 * `undefined` in an overlay hides a variable of the real environment. Writes outside an
 * invocation go to the real environment.
 */
export type EnvOverlay = Record<string, string | undefined>;

const storage = new AsyncLocalStorage<EnvOverlay>();
const MARK = Symbol.for('sidekick.emulator.envProxy');

interface Installed {
  real: NodeJS.ProcessEnv;
  users: number;
}

let installed: Installed | undefined;
const defaults: Array<{ overlay: EnvOverlay }> = [];

function visibleOverlay(): EnvOverlay | undefined {
  return storage.getStore() ?? defaults[defaults.length - 1]?.overlay;
}

function hasOwn(o: object, k: PropertyKey): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

function createProxy(real: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return new Proxy(real, {
    get(target, key) {
      if (key === MARK) return true;
      const overlay = visibleOverlay();
      if (overlay && typeof key === 'string' && hasOwn(overlay, key)) return overlay[key];
      return Reflect.get(target, key);
    },
    set(target, key, value) {
      const overlay = storage.getStore();
      if (overlay && typeof key === 'string') {
        overlay[key] = String(value);
        return true;
      }
      return Reflect.set(target, key, String(value));
    },
    has(target, key) {
      const overlay = visibleOverlay();
      if (overlay && typeof key === 'string' && hasOwn(overlay, key)) return overlay[key] !== undefined;
      return Reflect.has(target, key);
    },
    deleteProperty(target, key) {
      const overlay = storage.getStore();
      if (overlay && typeof key === 'string') {
        overlay[key] = undefined;
        return true;
      }
      return Reflect.deleteProperty(target, key);
    },
    ownKeys(target) {
      const overlay = visibleOverlay();
      const keys = Reflect.ownKeys(target);
      if (!overlay) return keys;
      const visible = keys.filter((k) => typeof k !== 'string' || !hasOwn(overlay, k) || overlay[k] !== undefined);
      for (const [k, v] of Object.entries(overlay)) if (v !== undefined && !hasOwn(target, k)) visible.push(k);
      return visible;
    },
    getOwnPropertyDescriptor(target, key) {
      const overlay = visibleOverlay();
      if (overlay && typeof key === 'string' && hasOwn(overlay, key)) {
        const value = overlay[key];
        return value === undefined ? undefined : { value, writable: true, enumerable: true, configurable: true };
      }
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
  });
}

/**
 * Installs the Proxy on `process.env` (once per process) with `defaultOverlay` as the view
 * outside invocations; the returned function removes that default, and the Proxy after the
 * last user.
 */
export function acquireEnvProxy(defaultOverlay: EnvOverlay): () => void {
  if (!installed) {
    const current = process.env as NodeJS.ProcessEnv & { [MARK]?: boolean };
    if (current[MARK]) throw new Error('process.env is already proxied by another copy of the emulator');
    installed = { real: current, users: 0 };
    process.env = createProxy(current);
  }
  installed.users++;
  const entry = { overlay: { ...defaultOverlay } };
  defaults.push(entry);
  let released = false;
  return () => {
    if (released || !installed) return;
    released = true;
    defaults.splice(defaults.indexOf(entry), 1);
    installed.users--;
    if (installed.users === 0) {
      process.env = installed.real;
      installed = undefined;
    }
  };
}

/** Runs `fn` (and everything it starts asynchronously) with `overlay` on top of `process.env`. */
export function runWithEnv<T>(overlay: EnvOverlay, fn: () => T): T {
  return storage.run({ ...overlay }, fn);
}
