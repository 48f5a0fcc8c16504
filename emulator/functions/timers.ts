import { Cron } from 'croner';

/**
 * CloudBase timer triggers: 7-field cron `sec min hour day month weekday year`, evaluated in
 * UTC+8. Weekday is 0-6 (0 = Sunday) or SUN-SAT; when both day and weekday are restricted
 * either one matching fires (as CloudBase documents). croner 9 evaluates the first six fields;
 * the year field is applied here.
 */
export const TIMER_TIMEZONE = 'Asia/Shanghai';
const UTC8_OFFSET_MS = 8 * 3600 * 1000;
const MIN_YEAR = 1970;
const MAX_YEAR = 2099;
/** setTimeout cannot wait longer than ~24.8 days; longer waits re-arm. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export interface TimerTrigger {
  name: string;
  type: 'timer';
  config: string;
}

export interface CloudCron {
  expression: string;
  /** Next fire time strictly after `from`, or null if there is none before 2100. */
  next(from: Date): Date | null;
}

function parseYears(field: string, expression: string): Set<number> | undefined {
  if (field === '*') return undefined;
  const years = new Set<number>();
  const bad = () => new Error(`invalid year field "${field}" in cron "${expression}"`);
  for (const part of field.split(',')) {
    const m = /^(\*|\d{4})(?:-(\d{4}))?(?:\/(\d+))?$/.exec(part);
    if (!m) throw bad();
    const from = m[1] === '*' ? MIN_YEAR : Number(m[1]);
    const to = m[2] ? Number(m[2]) : m[1] === '*' || m[3] ? MAX_YEAR : from;
    const step = m[3] ? Number(m[3]) : 1;
    if (from < MIN_YEAR || to > MAX_YEAR || from > to || step < 1) throw bad();
    for (let y = from; y <= to; y += step) years.add(y);
  }
  return years;
}

function yearInUtc8(date: Date): number {
  return new Date(date.getTime() + UTC8_OFFSET_MS).getUTCFullYear();
}

/** Parses a CloudBase 7-field cron expression; throws on anything CloudBase would reject. */
export function parseCloudCron(expression: string): CloudCron {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 7) throw new Error(`cron "${expression}" must have 7 fields (sec min hour day month weekday year)`);
  const years = parseYears(fields[6], expression);
  const cron = new Cron(fields.slice(0, 6).join(' '), { timezone: TIMER_TIMEZONE, paused: true, legacyMode: true });
  const allowed = years ? Array.from(years).sort((a, b) => a - b) : undefined;
  return {
    expression,
    next(from: Date): Date | null {
      let cursor = from;
      for (;;) {
        const candidate = cron.nextRun(cursor);
        if (!candidate) return null;
        const year = yearInUtc8(candidate);
        if (year > MAX_YEAR) return null;
        if (!allowed || allowed.includes(year)) return candidate;
        const nextYear = allowed.find((y) => y > year);
        if (nextYear === undefined) return null;
        // Jump to just before 1 January of the next allowed year, UTC+8.
        cursor = new Date(Date.UTC(nextYear, 0, 1) - UTC8_OFFSET_MS - 1000);
      }
    },
  };
}

/** Validates a function's config.json `triggers` and keeps the timer ones. */
export function timerTriggersOf(config: unknown, functionName: string): TimerTrigger[] {
  const triggers = (config as { triggers?: unknown } | null)?.triggers;
  if (triggers === undefined) return [];
  if (!Array.isArray(triggers)) throw new Error(`${functionName}/config.json: "triggers" must be a list`);
  return triggers.map((t: unknown, i) => {
    const { name, type, config: expr } = (t ?? {}) as Record<string, unknown>;
    if (typeof name !== 'string' || !/^[A-Za-z][A-Za-z0-9_-]{0,59}$/.test(name)) {
      throw new Error(`${functionName}/config.json: trigger ${i} needs a name of letters, digits, - and _ starting with a letter`);
    }
    if (type !== 'timer') throw new Error(`${functionName}/config.json: trigger "${name}" has unsupported type ${String(type)}`);
    if (typeof expr !== 'string') throw new Error(`${functionName}/config.json: trigger "${name}" needs a cron "config"`);
    parseCloudCron(expr);
    return { name, type: 'timer', config: expr };
  });
}

/** The event CloudBase (SCF) passes to a function fired by a timer trigger. */
export interface TimerEvent {
  Type: 'Timer';
  TriggerName: string;
  Time: string;
  Message: string;
}

export function timerEvent(triggerName: string, at: Date): TimerEvent {
  return { Type: 'Timer', TriggerName: triggerName, Time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'), Message: '' };
}

/**
 * Fires each trigger at its next cron time on the stack's clock until stopped. When the clock
 * is moved (pinned elsewhere, advanced) every trigger is re-armed from the new time; a jump
 * forward fires each trigger that fell due once, as a platform catching up would, not once
 * per missed time.
 */
export class TimerScheduler {
  private readonly handles = new Set<NodeJS.Timeout>();
  private stopped = false;
  private generation = 0;
  /** Per trigger, the time its next fire was computed from. */
  private readonly armedFrom = new Map<object, number>();

  constructor(
    private readonly entries: Array<{ functionName: string; trigger: TimerTrigger }>,
    private readonly fire: (functionName: string, trigger: TimerTrigger, at: Date) => void,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.armAll(new Date(this.now()));
  }

  /** The clock moved: fire what fell due between the last arming and now, then re-arm. */
  clockChanged(): void {
    if (this.stopped) return;
    const now = this.now();
    for (const entry of this.entries) {
      const from = this.armedFrom.get(entry);
      const due = from === undefined ? null : parseCloudCron(entry.trigger.config).next(new Date(from));
      if (due && due.getTime() <= now) this.fire(entry.functionName, entry.trigger, new Date(now));
    }
    this.armAll(new Date(now));
  }

  stop(): void {
    this.stopped = true;
    this.clear();
  }

  private clear(): void {
    this.generation++;
    for (const h of this.handles) clearTimeout(h);
    this.handles.clear();
  }

  private armAll(from: Date): void {
    this.clear();
    for (const entry of this.entries) this.arm(entry, parseCloudCron(entry.trigger.config), from, this.generation);
  }

  private arm(entry: { functionName: string; trigger: TimerTrigger }, cron: CloudCron, from: Date, generation: number): void {
    if (this.stopped || generation !== this.generation) return;
    this.armedFrom.set(entry, from.getTime());
    const at = cron.next(from);
    if (!at) return;
    const wait = (): void => {
      const delay = at.getTime() - this.now();
      const handle = setTimeout(() => {
        this.handles.delete(handle);
        if (this.stopped || generation !== this.generation) return;
        if (this.now() < at.getTime()) return wait();
        this.fire(entry.functionName, entry.trigger, at);
        // After a stall (a blocked event loop, a suspended laptop) skip the missed times.
        this.arm(entry, cron, new Date(Math.max(at.getTime(), this.now())), generation);
      }, Math.min(Math.max(delay, 0), MAX_DELAY_MS));
      handle.unref();
      this.handles.add(handle);
    };
    wait();
  }
}
