/**
 * inTransaction with a scripted transaction source: what it retries (write conflicts, inside
 * the work or at commit) and what it hands back untouched (every other error, after a rollback).
 */
import { inTransaction, type StartedTx } from '../tx';

const conflict = { code: 'DATABASE_TRANSACTION_CONFLICT', message: '[ResourceUnavailable.TransactionConflict] Transaction is conflict' };
const folded = Object.assign(new Error('document.update:fail -501001 resource system error. [ResourceUnavailable.TransactionConflict] x'), { errCode: -501001 });

/** Transactions whose commits fail with the given errors in turn (then succeed). */
function source(commitErrors: unknown[] = []) {
  const log: string[] = [];
  let n = 0;
  const start = async (): Promise<StartedTx> => {
    const id = ++n;
    log.push(`start ${id}`);
    return {
      collection: () => ({ doc: () => ({ get: async () => ({ data: null }), set: async () => undefined, update: async () => undefined }) }),
      commit: async () => {
        log.push(`commit ${id}`);
        const err = commitErrors.shift();
        if (err) throw err;
      },
      rollback: async () => void log.push(`rollback ${id}`),
    };
  };
  return { start, log };
}

it('returns the work’s result after one commit', async () => {
  const s = source();
  await expect(inTransaction(async () => 42, 8, s.start)).resolves.toBe(42);
  expect(s.log).toEqual(['start 1', 'commit 1']);
});

it('runs the work again when the commit conflicts, and when the work itself meets a conflict', async () => {
  const s = source([conflict]);
  let runs = 0;
  await expect(
    inTransaction(
      async () => {
        runs++;
        if (runs === 2) throw folded;
        return runs;
      },
      8,
      s.start,
    ),
  ).resolves.toBe(3);
  expect(s.log).toEqual(['start 1', 'commit 1', 'start 2', 'rollback 2', 'start 3', 'commit 3']);
});

it('rolls back and hands back any other error at once, without retrying', async () => {
  const s = source();
  const refusal = new Error('customerId: no such customer');
  await expect(inTransaction(async () => Promise.reject(refusal), 8, s.start)).rejects.toBe(refusal);
  expect(s.log).toEqual(['start 1', 'rollback 1']);
  const gone = Object.assign(new Error('[ResourceUnavailable.TransactionNotExist] x'), { errCode: -501001 });
  const t = source([gone]);
  await expect(inTransaction(async () => 1, 8, t.start)).rejects.toBe(gone);
  expect(t.log).toEqual(['start 1', 'commit 1']);
});

it('gives up after the allowed attempts with the conflict itself', async () => {
  const s = source([conflict, conflict, conflict]);
  await expect(inTransaction(async () => 1, 3, s.start)).rejects.toBe(conflict);
  expect(s.log.filter((l) => l.startsWith('start'))).toHaveLength(3);
});
