/**
 * The local cloud's clock. In CloudBase a function's clock is the wall clock; here a stack can
 * pin it to another instant (a test a year from today, a demo seeded last month) and advance it
 * (a reaction rule "not opened within 48 h"), without touching the machine's clock. Time keeps
 * flowing from the pinned instant unless the clock is frozen.
 *
 * Every invocation receives the clock in its environment (`LOCAL_CLOUD_CLOCK`, read by the
 * functions' one clock in `cloudfunctions/_lib/clock.ts`), timer triggers fire on it, and
 * `db.serverDate()` resolves to it.
 */
export const CLOCK_ENV = 'LOCAL_CLOUD_CLOCK';

export class StackClock {
  /** Added to the wall clock while flowing. */
  private offsetMs = 0;
  /** Set while frozen: every reading returns it. */
  private frozenAt: number | undefined;
  private readonly listeners = new Set<() => void>();

  /** A clock starting at `at` (epoch ms; the wall clock when omitted). */
  constructor(at?: number) {
    if (at !== undefined) this.set(at);
  }

  now(): number {
    return this.frozenAt ?? Date.now() + this.offsetMs;
  }

  /** Moves the clock to `at`; it keeps flowing from there (or stays there when frozen). */
  set(at: number): void {
    if (!Number.isFinite(at)) throw new TypeError(`clock: not a time: ${at}`);
    if (this.frozenAt !== undefined) this.frozenAt = at;
    else this.offsetMs = at - Date.now();
    this.changed();
  }

  /** Moves the clock forward by `ms` (timer triggers due in between fire once, at the new time). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new TypeError(`clock: cannot advance by ${ms}`);
    this.set(this.now() + ms);
  }

  /** Stops the clock at its current reading (or at `at`). */
  freeze(at: number = this.now()): void {
    this.frozenAt = at;
    this.changed();
  }

  /** Lets a frozen clock flow again from where it stands. */
  resume(): void {
    if (this.frozenAt === undefined) return;
    this.offsetMs = this.frozenAt - Date.now();
    this.frozenAt = undefined;
    this.changed();
  }

  /** What an invocation's environment carries: `fixed:<ms>` or `offset:<ms>`. */
  envValue(): string {
    return this.frozenAt !== undefined ? `fixed:${this.frozenAt}` : `offset:${this.offsetMs}`;
  }

  /** Called after every change (the timer scheduler re-arms). Returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
