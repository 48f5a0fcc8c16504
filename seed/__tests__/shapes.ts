/**
 * Runtime check that a stored document has exactly the fields its interface in types/model.ts
 * declares: every required field with the right JSON type, optional ones only when declared,
 * nothing else. Kept in step with the interfaces by the `Keys` tables below: each table must
 * list every key of its interface (the compiler checks that).
 */
import type {
  ActivityDoc,
  EventDoc,
  FollowUpDoc,
  IdentityDoc,
  MaterialDoc,
  StaffDoc,
  TaskDoc,
  StoreDoc,
} from '../../types/model';
import type { DerivedCustomer } from '../../cloudfunctions/_core/scoring/ingest';
import type { OneIdFields } from '../../cloudfunctions/_core/oneid/customer';
import type { MergeDoc } from '../../cloudfunctions/_lib/repo/merges';
import type { CustomerState } from '../../cloudfunctions/_core/scoring/state';

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'array';
type Spec<T> = { [K in keyof Required<T>]: { kind: Kind; optional?: true } };

const req = (kind: Kind) => ({ kind });
const opt = (kind: Kind) => ({ kind, optional: true as const });

export const SHAPES = {
  stores: {
    _id: req('string'), name: req('string'), brand: req('string'), region: req('string'), city: req('string'),
    address: req('string'), phone: req('string'), location: req('object'), frequencyCap: opt('object'),
  } satisfies Spec<StoreDoc>,
  staff: {
    _id: req('string'), name: req('string'), role: req('string'), storeId: req('string'), wecomUserId: req('string'),
    openid: opt('string'), modelLines: req('array'), capacity: req('number'), active: req('boolean'),
    sessionVersion: opt('number'),
  } satisfies Spec<StaffDoc>,
  customers: {
    _id: req('string'), name: req('string'), gender: req('string'), city: req('string'), identities: req('object'),
    storeId: req('string'), ownerId: opt('string'), assignedAt: opt('number'), recycledFrom: opt('object'), stage: req('string'), grade: opt('string'), sourceChannel: req('string'),
    vehiclesOfInterest: req('array'), vehiclesOwned: req('array'), tags: req('array'), storesVisited: req('array'),
    createdAt: req('number'), updatedAt: req('number'), lastActivityAt: req('number'), lastTouch: opt('object'),
    phoneTail: opt('string'), lastFollowUpAt: opt('number'), firstContactAt: opt('number'),
    lifecycle: opt('object'), gradeInfo: opt('object'), score: opt('object'), rankKey: opt('number'),
    consent: opt('object'), oem: opt('object'), outboxSeq: opt('number'),
    // The MA loop's per-customer bookkeeping: open-task triggers and marketing touches.
    openTaskOn: opt('array'), taskMarkSeq: opt('number'), marketingTouches: opt('array'),
    // Audience counters, once the store keeps any.
    audienceFeatures: opt('object'), activeStrategies: opt('array'), birthday: opt('string'),
    // OneID's fields, on the customers a merge touched.
    identifiers: opt('array'), mergedIds: opt('array'), mergedInto: opt('string'), mergedAt: opt('number'), fieldSources: opt('object'),
  } satisfies Spec<DerivedCustomer & Partial<OneIdFields>>,
  identities: {
    _id: req('string'), storeId: req('string'), type: req('string'), value: req('string'), customerId: req('string'), source: req('string'),
  } satisfies Spec<IdentityDoc>,
  events: {
    _id: req('string'), customerId: req('string'), storeId: req('string'), type: req('string'), source: req('string'),
    properties: req('object'), originalTimestamp: req('number'), sentAt: req('number'), receivedAt: req('number'),
    timestamp: req('number'), staffId: opt('string'),
  } satisfies Spec<EventDoc>,
  materials: {
    _id: req('string'), title: req('string'), kind: req('string'), modelId: opt('string'), category: req('string'),
    summary: req('string'), createdAt: req('number'), body: opt('string'), coverUrl: opt('string'), activityId: opt('string'),
    storeId: opt('string'), updatedAt: opt('number'), updatedBy: opt('string'), archived: opt('boolean'),
  } satisfies Spec<MaterialDoc>,
  activities: {
    _id: req('string'), storeId: req('string'), title: req('string'), description: req('string'), modelLine: opt('string'),
    startAt: req('number'), endAt: req('number'), address: req('string'), capacity: req('number'), perks: req('array'),
    location: opt('object'), registered: opt('number'),
  } satisfies Spec<ActivityDoc>,
  followUps: {
    _id: req('string'), customerId: req('string'), storeId: req('string'), staffId: req('string'), kind: req('string'),
    details: opt('object'), note: req('string'), at: req('number'), eventId: opt('string'),
  } satisfies Spec<FollowUpDoc>,
  merges: {
    _id: req('string'), survivorId: req('string'), mergedIds: req('array'), identifiersMoved: req('array'), actor: req('string'),
    reason: req('string'), at: req('number'), survivorBefore: req('object'), survivorAfter: req('object'), snapshots: req('array'),
    undone: opt('object'), storeId: req('string'), tiedBy: opt('array'),
  } satisfies Spec<MergeDoc>,
  tasks: {
    _id: req('string'), storeId: req('string'), ownerId: req('string'), customerId: req('string'), kind: req('string'), title: req('string'),
    note: opt('string'), dueAt: req('number'), status: req('string'), strategyId: opt('string'), strategyName: opt('string'), materialId: opt('string'),
    activityId: opt('string'), appointment: opt('string'), remindAt: opt('number'), remindState: opt('string'), remindClaimUntil: opt('number'), remindClaim: opt('string'), remindedAt: opt('number'), completesOn: opt('array'), skipReason: opt('string'),
    createdAt: req('number'), doneAt: opt('number'), doneBy: opt('string'), sendId: opt('string'),
  } satisfies Spec<TaskDoc>,
  customerStates: {
    _id: req('string'), schema: req('number'), filterSig: req('string'), seen: req('array'), rules: req('array'), activity: req('object'),
  } satisfies Spec<CustomerState & { _id: string }>,
} as const;

function kindOf(v: unknown): Kind | 'null' | 'undefined' | 'other' {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  if (t === 'number') return Number.isFinite(v) ? 'number' : 'other';
  return t === 'string' || t === 'boolean' || t === 'object' || t === 'undefined' ? t : 'other';
}

/** Problems with one document, empty when it matches. */
export function shapeProblems(collection: keyof typeof SHAPES, doc: object): string[] {
  const spec: Record<string, { kind: Kind; optional?: true }> = SHAPES[collection];
  const problems: string[] = [];
  const record = doc as Record<string, unknown>;
  for (const [key, { kind, optional }] of Object.entries(spec)) {
    const actual = kindOf(record[key]);
    if (actual === 'undefined' && optional && !(key in record)) continue;
    if (actual !== kind) problems.push(`${key}: expected ${kind}${optional ? ' or absent' : ''}, got ${actual}`);
  }
  for (const key of Object.keys(record)) if (!(key in spec)) problems.push(`${key}: not in the model`);
  return problems;
}
