/** A manager's view of OneID merges: the store's merge records, a manual merge, and undo. */
import type { MergeView } from '../../types/api';
import type { IdentityType } from '../../types/model';
import type { ActionTable } from '../_lib/entry';
import { action } from '../_lib/entry';
import { ApiError } from '../_lib/errors';
import { noSuchCustomer } from '../_lib/scope';
import { customerRepo, parseCursor } from '../_lib/repo/customers';
import { mergeRepo, type MergeDoc } from '../_lib/repo/merges';
import { executeMerge, executeUndo, SYSTEM_ACTOR } from '../_lib/merge';
import { loadLookups } from '../_lib/lookups';
import { viewPage } from '../_core/cursor';
import { IDENTITY_RULES, IDENTITY_TYPES, type OneIdFields } from '../_core/oneid';
import type { Lookups } from '../_core/views';

const SYSTEM_NAME = '系统自动合并';

function actorName(actor: string, lookups: Lookups): string {
  return actor === SYSTEM_ACTOR ? SYSTEM_NAME : (lookups.staffName(actor) ?? actor);
}

/** Kinds that tied the customers: what the event carried, else (a manual merge) what moved. */
function identifierKinds(m: MergeDoc): string[] {
  const types = new Set<IdentityType>(m.tiedBy ?? m.identifiersMoved.map((i) => i.identifier.type));
  return IDENTITY_TYPES.filter((t) => types.has(t)).map((t) => IDENTITY_RULES[t].label);
}

function toMergeView(m: MergeDoc, lookups: Lookups): MergeView {
  return {
    id: m._id,
    survivor: { id: m.survivorId, name: m.survivorAfter.name },
    merged: m.snapshots.map((s) => ({ id: s._id, name: s.name })),
    actorName: actorName(m.actor, lookups),
    reason: m.reason,
    at: m.at,
    identifiers: identifierKinds(m),
    ...(m.undone ? { undone: { at: m.undone.at, actorName: actorName(m.undone.actor, lookups), reason: m.undone.reason } } : {}),
  };
}

export const mergeActions: Pick<ActionTable<'customers'>, 'merges' | 'merge' | 'undoMerge'> = {
  merges: action(['manager'], async ({ cursor, limit }, { caller, now }) => {
    const after = parseCursor(cursor);
    const [rows, lookups] = await Promise.all([mergeRepo.page(caller.storeId, after, limit), loadLookups(now)]);
    return viewPage(rows, limit, (m) => ({ value: m.at, id: m._id }), (m) => toMergeView(m, lookups));
  }),

  merge: action(['manager'], async ({ customerIds, reason }, { caller, now }) => {
    const ids = [...new Set(customerIds)];
    if (ids.length < 2) {
      throw new ApiError('INVALID_INPUT', 'customerIds: must name at least two different customers', [
        { field: 'customerIds', message: 'must name at least two different customers' },
      ]);
    }
    const found = new Map((await customerRepo.getMany<CustomerWithOneId>(ids)).map((c) => [c._id, c]));
    for (const id of ids) {
      const c = found.get(id);
      if (!c || c.storeId !== caller.storeId) throw noSuchCustomer('customerIds');
      if (c.mergedInto) throw new ApiError('CONFLICT', `customerIds: customer ${id} was already merged into ${c.mergedInto}`);
    }
    const { record } = await executeMerge({ customerIds: ids, actor: caller.staffId, reason, now });
    // Only a concurrent merge of the same customers leaves nothing to do.
    if (!record) throw new ApiError('CONFLICT', 'customerIds: these customers were merged meanwhile');
    return toMergeView(record, await loadLookups(now));
  }),

  undoMerge: action(['manager'], async ({ mergeId, reason }, { caller, now }) => {
    const { record } = await executeUndo({ mergeId, storeId: caller.storeId, actor: caller.staffId, reason, now });
    return toMergeView(record, await loadLookups(now));
  }),
};

type CustomerWithOneId = Awaited<ReturnType<typeof customerRepo.get>> & Partial<OneIdFields>;
