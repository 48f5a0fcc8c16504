/**
 * Who may record which event (track). A store's staff write only their store's events; a
 * consultant writes for their own customers and for new people, a manager for any customer
 * of the store; events that change the lifecycle (an order, a delivery, a loss) follow the
 * rules of `customers.followUp`: only the owning consultant records them. `staffId` names
 * staff of the caller's store (the caller when absent).
 */
import type { FieldIssue } from '../../../types/api';
import type { EventDoc, StaffRole } from '../../../types/model';
import { isLostOutcome } from './activity';

export interface EventWriter {
  role: StaffRole;
  staffId: string;
  storeId: string;
}

export interface EventTarget {
  /** The customer the event resolved to was created by this very call. */
  isNew: boolean;
  ownerId?: string;
}

export function changesLifecycle(e: Pick<EventDoc, 'type' | 'properties'>): boolean {
  return e.type === 'order' || e.type === 'delivery' || isLostOutcome(e);
}

/** Why the writer may not record the event (before OneID: store and staff). */
export function senderIssues(w: EventWriter, e: Pick<EventDoc, 'storeId' | 'staffId'>, staffStoreOf: (staffId: string) => string | undefined): FieldIssue[] {
  if (e.storeId !== w.storeId) return [{ field: 'storeId', message: 'must be your own store' }];
  if (e.staffId !== undefined && staffStoreOf(e.staffId) !== w.storeId) return [{ field: 'staffId', message: 'must be staff of your store' }];
  return [];
}

/** Why the writer may not record the event on the customer it resolved to. */
export function targetIssues(w: EventWriter, e: Pick<EventDoc, 'type' | 'properties'>, target: EventTarget, field: 'customerId' | 'identities'): FieldIssue[] {
  if (changesLifecycle(e)) {
    if (w.role !== 'consultant') return [{ field: 'event', message: 'orders, deliveries and losses are recorded by the consultant who owns the customer' }];
    if (!target.isNew && target.ownerId !== w.staffId) return [{ field, message: 'not a customer of yours' }];
    return [];
  }
  if (w.role === 'consultant' && !target.isNew && target.ownerId !== w.staffId) return [{ field, message: 'not a customer of yours' }];
  return [];
}
