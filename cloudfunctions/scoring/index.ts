/**
 * scoring: the store's lead-scoring model. Consultants and managers read it; a manager saves
 * a tuned version (validated field by field, optimistic on `expectedVersion`) and every
 * customer of the store is rescored at once: from the stored counters when they still fit,
 * by replaying the events when a counting rule changed (`needsReplay`). The nightly timer
 * refreshes everyone, since score windows expire even when nothing happens.
 */
import { action, defineFunction } from '../_lib/entry';
import { ApiError, invalidInput } from '../_lib/errors';
import { rescoreCustomers } from '../_lib/pipeline';
import { scoringModelRepo } from '../_lib/repo/scoring-models';
import { needsReplay } from '../_core/scoring/compile';
import { validateModel } from '../_core/scoring/validate-model';

export const main = defineFunction(
  'scoring',
  {
    model: action(['consultant', 'manager'], async (_params, { caller }) => scoringModelRepo.forStore(caller.storeId)),

    setModel: action(['manager'], async ({ model, expectedVersion }, { caller, now }) => {
      const check = validateModel(model);
      if (!check.ok) {
        const issues = check.issues.map((i) => ({ field: `model.${i.field}`, message: i.message }));
        throw invalidInput(issues);
      }
      const { model: current } = await scoringModelRepo.forStore(caller.storeId);
      if (current.version !== expectedVersion) {
        throw new ApiError('CONFLICT', `expectedVersion: the model is at version ${current.version}; reload it and apply your change again`, [
          { field: 'expectedVersion', message: `the stored model is version ${current.version}` },
        ]);
      }
      const next = { ...check.model, version: expectedVersion + 1 };
      if (!(await scoringModelRepo.save(caller.storeId, next, expectedVersion, caller.staffId, now))) {
        throw new ApiError('CONFLICT', 'expectedVersion: someone saved the model a moment ago; reload it and apply your change again', [
          { field: 'expectedVersion', message: 'the stored model changed while saving' },
        ]);
      }
      const replay = needsReplay(current, next);
      const { customers } = await rescoreCustomers({ storeId: caller.storeId, model: next, replay, retagStale: !replay }, now);
      return { model: next, rescored: customers };
    }),
  },
  { timers: { 'nightly-rescore': (now) => rescoreCustomers({}, now) } },
);
