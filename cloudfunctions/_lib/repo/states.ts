/**
 * Per-customer scoring state (`customerStates`, `_id` = customer id). Written together with
 * the customer inside the pipeline's transaction; read in bulk by the rescore jobs.
 */
import { Collections } from '../../../types/model';
import type { CustomerState } from '../../_core/scoring/state';
import { byIds } from '../cloud';

export type StateDoc = CustomerState & { _id: string };


export const stateRepo = {
  /** States of these customers, by customer id (missing ones are absent). */
  async getMany(ids: string[]): Promise<Map<string, CustomerState>> {
    const found = await byIds<StateDoc>(Collections.customerStates, ids);
    return new Map(found.map(({ _id, ...s }) => [_id, s]));
  },
};
