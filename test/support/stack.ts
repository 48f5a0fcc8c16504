/** A seeded local backend for tests: a small deterministic dealership in a temp dir. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiReply, LeadSummary, Page } from '../../types/api';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../scripts/local-stack';

/**
 * Where the stack's clock starts in tests: Monday 2025-03-17 10:00 Asia/Shanghai. Seed and
 * functions alike read it, so the suite passes on any real date; it is deliberately more than a
 * year from the day this was written (and only gets further), which `clock.test.ts` checks, so
 * a test or function that reads the wall clock fails here instead of months later.
 */
export const TEST_NOW = Date.parse('2025-03-17T10:00:00+08:00');

export interface TestStack extends LocalStack {
  dataDir: string;
  /** POST /fn/<name> through the HTTP gateway, as the H5 app does; `roundTrips` counts its SDK calls. */
  http<T = unknown>(fn: string, body: unknown, token?: string): Promise<{ status: number; reply: ApiReply<T>; roundTrips: number }>;
  /** Signs in a demo person and returns the session token. */
  signIn(personId: string): Promise<string>;
  /** Every page of `leads.list` (or `leads.pool`) for these params, 50 at a time unless `limit` says otherwise. */
  allLeads(token: string, params?: Record<string, unknown>, action?: 'list' | 'pool'): Promise<LeadSummary[]>;
  /** Test setup: sets (and unsets) fields of a stored customer directly in the database. */
  patchCustomer(id: string, fields: object, unset?: string[]): unknown;
  destroy(): Promise<void>;
}

export async function startTestStack(opts: Partial<LocalStackOptions> = {}): Promise<TestStack> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'sidekick-test-'));
  // Reads capped at 100 rows: code that pages by a constant instead of by what came back fails here.
  const stack = await startLocalStack({ customers: 1200, seed: 7, now: TEST_NOW, readCap: 100, ...opts, dataDir });
  const http: TestStack['http'] = async (fn, body, token) => {
    const res = await fetch(`${stack.url}/fn/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, reply: (await res.json()) as never, roundTrips: Number(res.headers.get('x-local-round-trips') ?? NaN) };
  };
  return {
    ...stack,
    dataDir,
    http,
    async signIn(personId) {
      const { reply } = await http<{ token: string }>('auth', { action: 'demoSignIn', params: { personId } });
      if (!reply.ok) throw new Error(`demo sign-in of ${personId} failed: ${reply.error.message}`);
      return reply.data.token;
    },
    async allLeads(token, params = {}, action = 'list') {
      const seen: LeadSummary[] = [];
      let cursor: string | undefined;
      do {
        const page = ok(await http<Page<LeadSummary>>('leads', { action, params: { limit: 50, ...params, ...(cursor ? { cursor } : {}) } }, token));
        seen.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    },
    patchCustomer(id, fields, unset = []) {
      const $unset = unset.length ? { $unset: Object.fromEntries(unset.map((f) => [f, ''])) } : {};
      return stack.emulator.db.update('customers', { _id: id }, { $set: fields, ...$unset }, { multi: false });
    },
    async destroy() {
      await stack.close();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Unwraps a successful reply, failing the test with the error otherwise. */
export function ok<T>(r: { reply: ApiReply<T> }): T {
  if (!r.reply.ok) throw new Error(`expected success, got ${r.reply.error.code}: ${r.reply.error.message}`);
  return r.reply.data;
}
