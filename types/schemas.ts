/**
 * Input schemas of every function action. The functions validate with these at their boundary;
 * the app imports only the inferred types (see `api.ts`), so zod stays out of the app bundle.
 */
import { z } from 'zod';
import { INTENT_GRADES, LIFECYCLE_STAGES, TOUCHPOINT_TYPES } from './catalog';
import { epochOrIso, scoringModel, trackEvents } from './domain-schemas';

const id = z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters');
const cursor = z.string().max(200).optional();
/** An id WeCom issues (chat_id `wr…`, external_userid `wm…`): letters, digits, - and _. */
const wecomId = (what: string) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(128, 'must be at most 128 characters')
    .regex(/^[A-Za-z0-9_-]+$/, `must be a WeCom ${what}`);
const pageLimit = (max: number, dflt: number) => z.number().int().min(1).max(max).default(dflt);

/** Kept under this name for the schemas that list touchpoint types; written once in `catalog.ts`. */
export const touchpointTypes = TOUCHPOINT_TYPES;

const empty = z.object({}).strict();

/** A random id the page makes (a visit, a share): 16-64 letters, digits, - or _. */
const clientId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'must be 16-64 letters, digits, - or _');
/** A mainland mobile number, 11 digits from 1. */
const mobile = z.string().trim().regex(/^1[3-9]\d{9}$/, 'must be an 11-digit mobile number');
/**
 * How a customer's call is authenticated: the tracked link's signed token (`<sendId>.<mac>`),
 * and on H5, where there is no OPENID, the page's device token (random, kept in its storage).
 */
const linkToken = z.string().max(80, 'must be at most 80 characters');
const deviceToken = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, 'must be 22-64 letters, digits, - or _');
const linked = { link: linkToken, device: deviceToken.optional() };
const linkedOptional = { link: linkToken.optional(), device: deviceToken.optional() };

export { epochOrIso, trackEvent, type TrackEventInput } from './domain-schemas';

const grade = z.enum(INTENT_GRADES);
const money = z.number().finite().min(0, 'must not be negative').max(10_000_000, 'must be at most 10,000,000 yuan');
const note = z.string().trim().max(500, 'must be at most 500 characters').default('');

/**
 * Filters shared by the consultant's list, the pool and the manager's store view. `q` is a
 * name (any part) or the last 4 digits of the phone (尾号).
 */
const leadFilters = {
  cursor,
  limit: pageLimit(50, 20),
  /** 'rank': grade then score (the default: who to work today); 'recent': latest activity first. */
  sort: z.enum(['rank', 'recent']).default('rank'),
  /** 'none' selects leads without a grade. */
  grades: z.array(z.enum([...INTENT_GRADES, 'none'])).max(5).optional(),
  stages: z.array(z.enum(LIFECYCLE_STAGES)).max(3).optional(),
  tagId: id.optional(),
  modelId: id.optional(),
  channel: id.optional(),
  q: z.string().trim().min(1, 'must not be empty').max(20, 'must be at most 20 characters').optional(),
  /** Only leads past their first-contact SLA with no contact yet. */
  overdue: z.boolean().optional(),
};

/**
 * What a consultant records after working a customer. Each kind is one event in the store:
 * call -> call, visit -> store_visit, test_drive, quote, order, lost -> call with outcome
 * 'lost', note -> wecom_chat annotation. `messageId` makes a retried submit a no-op.
 */
const followUpBase = {
  customerId: id,
  messageId: z.string().min(8).max(100).regex(/^[A-Za-z0-9_.:-]+$/, 'must be 8-100 letters, digits or _.:-'),
  /** When it happened, if not now (within the last 7 days). */
  at: z.number().int().optional(),
  note,
};
export const followUpInput = z.discriminatedUnion('kind', [
  z.object({ ...followUpBase, kind: z.literal('call'), outcome: z.enum(['connected', 'no_answer', 'busy', 'wrong_number']), durationSeconds: z.number().int().min(0).max(86_400).optional() }).strict(),
  z.object({ ...followUpBase, kind: z.literal('visit'), durationMinutes: z.number().int().min(1).max(720).optional() }).strict(),
  z.object({ ...followUpBase, kind: z.literal('test_drive'), modelId: id, trim: z.string().trim().max(40).optional(), durationMinutes: z.number().int().min(1).max(240).optional() }).strict(),
  z.object({ ...followUpBase, kind: z.literal('quote'), modelId: id, trim: z.string().trim().max(40).optional(), price: money, priceCut: money.default(0) }).strict(),
  z.object({ ...followUpBase, kind: z.literal('order'), modelId: id, trim: z.string().trim().max(40).optional(), price: money, deposit: money.default(0) }).strict(),
  z
    .object({
      ...followUpBase,
      kind: z.literal('lost'),
      reason: z.enum(['bought_competitor', 'bought_elsewhere', 'price', 'postponed', 'no_budget', 'unreachable', 'other']),
      competitor: z.string().trim().max(40).optional(),
    })
    .strict(),
  z.object({ ...followUpBase, kind: z.literal('note'), note: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters') }).strict(),
]);
export type FollowUpInput = z.input<typeof followUpInput>;

// ---------- the OEM platform's payloads (docs/oem-api.md) ----------

/** Online touchpoints the OEM reports; store-side ones come from the stores themselves. */
export const oemEventTypes = ['ad_click', 'live_stream', 'content_view', 'share', 'form_submit'] as const;
export const consentPurposes = ['contact', 'tracking', 'oem_sharing'] as const;
/** A phone or unionid as the OEM sends it (a number is read as its digits). */
const oemIdentity = z.union([z.string().max(64), z.number()]);
const oemIdValue = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, 'must be 1-64 letters, digits or _.:-');
const changeIdValue = z.string().min(1).max(100).regex(/^[A-Za-z0-9_.:-]+$/, 'must be 1-100 letters, digits or _.:-');
const channelId = z.string().max(32).regex(/^[a-z][a-z0-9_]*$/, 'must be a channel id');
const scalar = z.union([z.string().max(500), z.number().finite(), z.boolean(), z.null()]);
const oemProfileFields = {
  name: z.string().trim().min(1).max(40).optional(),
  gender: z.enum(['male', 'female', 'unknown']).optional(),
  city: z.string().trim().max(20).optional(),
  phone: oemIdentity.optional(),
  unionid: oemIdentity.optional(),
};
const oemConsent = z
  .object({
    purpose: z.enum(consentPurposes),
    granted: z.boolean(),
    noticeVersion: z.string().trim().min(1).max(32),
    at: epochOrIso,
    channel: z.enum(['miniprogram', 'oem', 'store', 'wecom']).default('oem'),
  })
  .strict();
const changeBase = { id: changeIdValue, oemId: oemIdValue, changedAt: epochOrIso };
/** The store a change is for; absent: every store of the dealer that knows the OEM id. */
const forStore = { storeId: id.optional() };

/** One change in the OEM's feed (pull) or push (webhook). */
export const oemChange = z.discriminatedUnion('type', [
  z
    .object({
      ...changeBase,
      type: z.literal('lead'),
      storeId: id,
      data: z
        .object({
          ...oemProfileFields,
          campaign: z.object({ id: id.optional(), name: z.string().trim().max(40).optional(), channel: channelId }).strict(),
          modelId: id.optional(),
          assignedAt: epochOrIso.optional(),
          firstContactDueAt: epochOrIso.optional(),
          consents: z.array(oemConsent).max(3).optional(),
        })
        .strict(),
    })
    .strict(),
  z.object({ ...changeBase, ...forStore, type: z.literal('profile'), data: z.object(oemProfileFields).strict() }).strict(),
  z.object({ ...changeBase, ...forStore, type: z.literal('tags'), data: z.object({ tags: z.array(id).max(200) }).strict() }).strict(),
  z
    .object({
      ...changeBase,
      ...forStore,
      type: z.literal('event'),
      data: z
        .object({
          messageId: changeIdValue,
          event: z.enum(oemEventTypes),
          channel: channelId,
          properties: z.record(z.string().max(64), scalar).optional(),
          originalTimestamp: epochOrIso,
        })
        .strict(),
    })
    .strict(),
  z.object({ ...changeBase, ...forStore, type: z.literal('consent'), data: oemConsent }).strict(),
  z
    .object({
      ...changeBase,
      ...forStore,
      type: z.literal('person'),
      data: z.object({ stores: z.array(z.object({ storeId: id, visits: z.number().int().min(0), lastVisitAt: epochOrIso }).strict()).max(50) }).strict(),
    })
    .strict(),
]);
export type OemChangeInput = z.input<typeof oemChange>;
export type OemChange = z.output<typeof oemChange>;

/**
 * A page of the OEM's change feed. Changes are checked one by one (`oemChange`), so one
 * malformed change is set aside instead of stopping the feed.
 */
export const oemChangesPage = z
  .object({
    changes: z.array(z.unknown()).max(1000),
    nextCursor: z.string().max(500),
    hasMore: z.boolean(),
  })
  .strict();

/** What the OEM pushes to the webhook. */
export const oemWebhookBody = z.object({ changes: z.array(z.unknown()).min(1).max(500) }).strict();

/** The OEM's answer to an upload: one result per item, by its messageId (the idempotency key). */
export const oemUploadReply = z
  .object({
    results: z.array(z.object({ messageId: z.string().max(200), status: z.enum(['accepted', 'duplicate', 'rejected']), reason: z.string().max(500).optional() }).strict()),
  })
  .strict();

export const schemas = {
  auth: {
    me: empty,
    demoPeople: empty,
    demoSignIn: z.object({ personId: id }).strict(),
    wecomSignIn: z.object({ code: z.string().trim().min(1, 'must not be empty').max(512) }).strict(),
    jsapiConfig: z
      .object({
        url: z
          .string()
          .max(2048)
          .regex(/^https?:\/\/[^\s/?#]+[^\s]*$/, 'must be the absolute http(s) URL of the page'),
      })
      .strict(),
    /** Omitted: the caller's own sessions. A manager may name staff of their store. */
    signOutEverywhere: z.object({ staffId: id.optional() }).strict(),
  },
  leads: {
    list: z
      .object({
        ...leadFilters,
        /** Managers may narrow the store's list to one consultant. */
        ownerId: id.optional(),
      })
      .strict(),
    /** The store's pool (公海): leads nobody owns. */
    pool: z.object(leadFilters).strict(),
    claim: z.object({ customerId: id }).strict(),
    /**
     * Options for the filter sheet (tags, models and channels present in the caller's scope, or
     * the pool's), counted under the other filters in force.
     */
    filters: z
      .object({
        grades: leadFilters.grades,
        stages: leadFilters.stages,
        tagId: leadFilters.tagId,
        modelId: leadFilters.modelId,
        channel: leadFilters.channel,
        q: leadFilters.q,
        pool: z.boolean().optional(),
      })
      .strict(),
    /** Manager: the store's consultants with their load (for assignment). */
    team: empty,
    /** Manager: give leads to a consultant, or back to the pool ('pool'). */
    reassign: z
      .object({
        customerIds: z.array(id).min(1, 'must name at least one lead').max(200, 'must name at most 200 leads'),
        to: id,
        reason: z.string().trim().max(100).optional(),
      })
      .strict(),
  },
  customers: {
    profile: z.object({ customerId: id }).strict(),
    timeline: z
      .object({
        customerId: id,
        cursor,
        limit: pageLimit(50, 20),
        types: z.array(z.enum(touchpointTypes)).max(touchpointTypes.length).optional(),
      })
      .strict(),
    byExternalUserId: z.object({ externalUserId: id }).strict(),
    /** The customers of the WeCom customer group the sidebar was opened from (getCurExternalChat). */
    byExternalChat: z.object({ chatId: wecomId('chat id') }).strict(),
    /** Cheap change check for the live profile: the sidebar polls it every few seconds. */
    pulse: z.object({ customerId: id }).strict(),
    followUps: z.object({ customerId: id, cursor, limit: pageLimit(50, 20) }).strict(),
    followUp: followUpInput,
    /** The consultant's intent grade; null clears it (the score's suggestion shows again). */
    setGrade: z.object({ customerId: id, grade: grade.nullable() }).strict(),
    /** Manager: merge records of the store, newest first. */
    merges: z.object({ cursor, limit: pageLimit(50, 20) }).strict(),
    /** Manager: merge customers found to be one person; the first id is kept unless OneID's rule says otherwise. */
    merge: z
      .object({
        customerIds: z.array(id).min(2, 'must name at least two customers').max(5, 'must name at most five customers'),
        reason: z.string().trim().min(1, 'must not be empty').max(100),
      })
      .strict(),
    undoMerge: z.object({ mergeId: id, reason: z.string().trim().min(1, 'must not be empty').max(100) }).strict(),
    /**
     * A withdrawal the customer stated to the store (by phone, in the store): recorded in the
     * consent ledger and, for sharing with the OEM, sent upstream. Grants come from the customer
     * (mini-program) or the OEM, never typed in by staff.
     */
    withdrawConsent: z.object({ customerId: id, purpose: z.enum(consentPurposes) }).strict(),
  },
  track: {
    ingest: z
      .object({
        events: trackEvents,
      })
      .strict(),
  },
  scoring: {
    /** The store's scoring model (the default until a manager saves one). */
    model: empty,
    /** Manager: save a tuned model; every customer of the store is rescored (a job, see `job`). */
    setModel: z.object({ model: scoringModel, expectedVersion: z.number().int().min(1) }).strict(),
    /** Manager: the store's rescore job, for its progress. */
    job: empty,
  },
  oemSync: {
    /** Manager: the store's sync with the OEM (queue depth, failures, last pull). */
    status: empty,
    /** Manager: entries the OEM kept refusing (dead letters), newest first. */
    deadLetters: z.object({ cursor, limit: pageLimit(50, 20) }).strict(),
    /** Manager: send dead letters again (these, or every one of the store). */
    replay: z
      .object({ ids: z.array(z.string().min(1).max(200)).min(1).max(200).optional(), all: z.literal(true).optional() })
      .strict()
      .refine((p) => (p.ids === undefined) !== (p.all === undefined), 'give either ids or all: true'),
  },
  /** No app actions: see `internalSchemas.jobs`. */
  jobs: {},
  activities: {
    get: z.object({ activityId: id }).strict(),
    upcoming: z.object({ storeId: id.optional() }).strict(),
    open: z.object({ ...linked, visitId: clientId }).strict(),
    beat: z
      .object({
        ...linked,
        visitId: clientId,
        /** Seconds the page has been visible in this visit so far (not since the last beat). */
        seconds: z.number().int().min(0).max(24 * 3600),
        /** The last beat of the visit (the page hid or unloaded). */
        final: z.boolean().default(false),
      })
      .strict(),
    share: z.object({ ...linked, shareId: clientId, target: z.enum(['friend', 'moments', 'group']).default('friend') }).strict(),
    consent: z.object({ ...linkedOptional, granted: z.boolean(), noticeVersion: z.string().trim().min(1).max(40) }).strict(),
    register: z
      .object({
        ...linkedOptional,
        activityId: id,
        /** H5: the name and phone the customer typed (the phone may be left out when the store knows it). */
        name: z.string().trim().min(1, 'must not be empty').max(20, 'must be at most 20 characters').optional(),
        phone: mobile.optional(),
        /** Mini-program: the code of the getPhoneNumber button, exchanged by the platform for the phone. */
        phoneCode: z.string().trim().min(1).max(128).optional(),
        party: z.number().int().min(1).max(5).default(1),
      })
      .strict(),
    cancel: z.object({ ...linkedOptional, activityId: id }).strict(),
    mine: z.object({ ...linkedOptional }).strict(),
  },
} as const;

export type Schemas = typeof schemas;

/**
 * Actions only other functions call (the platform's SOURCE ends in `,scf`): not part of the
 * app's contract, validated all the same.
 */
export const internalSchemas = {
  jobs: {
    /** Run the next slice of a job (a function continuing its own job, or starting one). */
    continue: z.object({ jobId: id }).strict(),
  },
} as const;
