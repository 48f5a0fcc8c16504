/**
 * scoring: the store's lead-scoring model. Consultants and managers read it; a manager saves
 * a tuned version (validated field by field, optimistic on `expectedVersion`), which starts
 * the store's rescore job and answers at once with its progress (`job` follows it): from the
 * stored counters when they still fit, by replaying the events when a counting rule changed
 * (`needsReplay`). The nightly timer refreshes everyone, since score windows expire even when
 * nothing happens. Both jobs run in slices (`_lib/jobs.ts`).
 */
import config from './config.json';
import { action, defineFunction } from '../_lib/entry';
import { ApiError } from '../_lib/errors';
import { continueLater, runAndContinue, startNightlyRescore, startStoreRescore, storeRescoreProgress } from '../_lib/jobs';
import { scoringModelRepo } from '../_lib/repo/scoring-models';
import { progressOf, sliceBudget } from '../_core/jobs';
import { needsReplay } from '../_core/scoring/compile';

export const main = defineFunction(
  'scoring',
  {
    model: action(['consultant', 'manager'], async (_params, { caller }) => scoringModelRepo.forStore(caller.storeId)),

    job: action(['manager'], async (_params, { caller }) => storeRescoreProgress(caller.storeId)),

    // The model was checked field by field at the boundary (types/domain-schemas.ts `scoringModel`).
    setModel: action(['manager'], async ({ model, expectedVersion }, { caller, now }) => {
      const { model: current } = await scoringModelRepo.forStore(caller.storeId);
      if (current.version !== expectedVersion) {
        throw new ApiError('CONFLICT', `expectedVersion: the model is at version ${current.version}; reload it and apply your change again`, [
          { field: 'expectedVersion', message: `the stored model is version ${current.version}` },
        ]);
      }
      const next = { ...model, version: expectedVersion + 1 };
      if (!(await scoringModelRepo.save(caller.storeId, next, expectedVersion, caller.staffId, now))) {
        throw new ApiError('CONFLICT', 'expectedVersion: someone saved the model a moment ago; reload it and apply your change again', [
          { field: 'expectedVersion', message: 'the stored model changed while saving' },
        ]);
      }
      const replay = needsReplay(current, next);
      const job = await startStoreRescore(caller.storeId, next.version, { replay, retagStale: !replay, requestedBy: caller.staffId }, now);
      // The manager's call answers now; the job runs in the `jobs` function, slice after slice.
      await continueLater(job._id);
      return { model: next, job: progressOf(job) };
    }),
  },
  {
    timers: {
      'nightly-rescore': async (now) => runAndContinue((await startNightlyRescore(now))._id, { budget: sliceBudget(config.timeout), now }),
    },
  },
);
