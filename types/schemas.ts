/**
 * Input schemas of every function action. The functions validate with these at their boundary;
 * the app imports only the inferred types (see `api.ts`), so zod stays out of the app bundle.
 */
import { z } from 'zod';
import { AUDIENCE_LIMITS, AUDIENCE_RULE_VERSION, MAX_LOOKBACK_DAYS, type AudienceNode, type AudienceRule } from './audience';
import { INTENT_GRADES, LIFECYCLE_STAGES, MODEL_LINES, TOUCHPOINT_TYPES } from './catalog';
import { REACTION_LIMITS, type ReactionRule } from './strategy';
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

/**
 * An audience rule (`types/audience.ts`): its shape, ranges and limits, with every issue on
 * its dotted path (`root.of.1.count.value`). What needs the catalog (tag and model ids,
 * property names per event type) is checked by `validateAudienceRule` in `_core/audiences`.
 */
const listOf = <T extends z.ZodType>(item: T) =>
  z.array(item).min(1, 'must not be empty').max(AUDIENCE_LIMITS.listItems, `must have at most ${AUDIENCE_LIMITS.listItems} items`);
const ruleScalar = z.union([z.string().max(100, 'must be at most 100 characters'), z.number().finite(), z.boolean(), z.null()]);
const propertyKey = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'must be a property name');
const eventCount = z.number().int('must be a whole number').min(0, 'must not be negative').max(AUDIENCE_LIMITS.maxCount, `must be at most ${AUDIENCE_LIMITS.maxCount}`);
const chinaDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d, 'must be a real calendar date');
const DAY_MS = 86_400_000;

const modelSelector = z.discriminatedUnion('by', [
  z.object({ by: z.literal('id'), in: listOf(id) }).strict(),
  z.object({ by: z.literal('line'), in: listOf(z.enum(MODEL_LINES)) }).strict(),
  z.object({ by: z.literal('body'), in: listOf(z.enum(['suv', 'sedan', 'mpv', 'hatchback'])) }).strict(),
]);

const propertyFilter = z.discriminatedUnion('op', [
  z.object({ key: propertyKey, op: z.literal('eq'), value: ruleScalar }).strict(),
  z.object({ key: propertyKey, op: z.literal('in'), values: listOf(ruleScalar) }).strict(),
  z.object({ key: propertyKey, op: z.literal('notIn'), values: listOf(ruleScalar) }).strict(),
  z.object({ key: propertyKey, op: z.literal('gte'), value: z.number().finite() }).strict(),
  z.object({ key: propertyKey, op: z.literal('lte'), value: z.number().finite() }).strict(),
  z
    .object({ key: propertyKey, op: z.literal('between'), min: z.number().finite(), max: z.number().finite() })
    .strict()
    .refine((f) => f.min <= f.max, { path: ['max'], message: 'must not be below min' }),
]);

const eventMatch = z
  .object({
    types: listOf(z.enum(touchpointTypes)).optional(),
    sources: listOf(z.string().max(32).regex(/^[a-z][a-z0-9_]*$/, 'must be a channel id')).optional(),
    model: modelSelector.optional(),
    where: z.array(propertyFilter).max(8, 'must have at most 8 filters').optional(),
  })
  .strict();

const countTest = z.discriminatedUnion('op', [
  z.object({ op: z.literal('gte'), value: eventCount }).strict(),
  z.object({ op: z.literal('lte'), value: eventCount }).strict(),
  z.object({ op: z.literal('eq'), value: eventCount }).strict(),
  z
    .object({ op: z.literal('between'), min: eventCount, max: eventCount })
    .strict()
    .refine((c) => c.min <= c.max, { path: ['max'], message: 'must not be below min' }),
]);

const timeWindow = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('last'), days: z.number().int('must be a whole number of days').min(1, 'must be at least 1 day').max(MAX_LOOKBACK_DAYS, `must be at most ${MAX_LOOKBACK_DAYS} days`) }).strict(),
  z
    .object({ kind: z.literal('between'), from: chinaDate, to: chinaDate })
    .strict()
    .refine((w) => w.from <= w.to, { path: ['to'], message: 'must not be before from' })
    .refine((w) => (Date.parse(w.to) - Date.parse(w.from)) / DAY_MS < MAX_LOOKBACK_DAYS, { path: ['to'], message: `must be within ${MAX_LOOKBACK_DAYS} days of from` }),
  z.object({ kind: z.literal('this'), period: z.enum(['month', 'quarter']) }).strict(),
  z.object({ kind: z.literal('ever') }).strict(),
]);

const score = z.number().finite().min(0, 'must be 0-100').max(100, 'must be 0-100');

export const audienceNode: z.ZodType<AudienceNode> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('and'), of: z.array(audienceNode).min(1, 'must not be empty').max(AUDIENCE_LIMITS.leaves) }).strict(),
    z.object({ kind: z.literal('or'), of: z.array(audienceNode).min(1, 'must not be empty').max(AUDIENCE_LIMITS.leaves) }).strict(),
    z.object({ kind: z.literal('not'), of: audienceNode }).strict(),
    z.object({ kind: z.literal('stage'), in: listOf(z.enum(['lead', 'prospect', 'owner'])) }).strict(),
    z.object({ kind: z.literal('grade'), in: listOf(z.enum(['H', 'A', 'B', 'C', 'none'])) }).strict(),
    z.object({ kind: z.literal('tags'), match: z.enum(['any', 'all', 'none']), ids: listOf(id) }).strict(),
    z.object({ kind: z.literal('vehicle'), relation: z.enum(['interest', 'owned']), model: modelSelector }).strict(),
    z.object({ kind: z.literal('store'), in: listOf(id) }).strict(),
    z.object({ kind: z.literal('owner'), in: listOf(id.nullable()) }).strict(),
    z.object({ kind: z.literal('consent'), purpose: z.enum(['marketing', 'group_sharing']), granted: z.boolean() }).strict(),
    z
      .object({ kind: z.literal('score'), min: score.optional(), max: score.optional() })
      .strict()
      .refine((s) => s.min !== undefined || s.max !== undefined, 'must set min or max')
      .refine((s) => s.min === undefined || s.max === undefined || s.min <= s.max, { path: ['max'], message: 'must not be below min' }),
    z.object({ kind: z.literal('behaviour'), event: eventMatch, count: countTest, window: timeWindow }).strict(),
  ]),
);

/** Depth and leaf count, with the path of the first node past the limit. */
function checkSize(node: AudienceNode, path: (string | number)[], depth: number, seen: { leaves: number }, ctx: z.RefinementCtx): void {
  if (depth > AUDIENCE_LIMITS.depth) {
    ctx.addIssue({ code: 'custom', path, message: `nests deeper than ${AUDIENCE_LIMITS.depth} levels` });
    return;
  }
  if (node.kind === 'and' || node.kind === 'or') node.of.forEach((c, i) => checkSize(c, [...path, 'of', i], depth + 1, seen, ctx));
  else if (node.kind === 'not') checkSize(node.of, [...path, 'of'], depth + 1, seen, ctx);
  else if (++seen.leaves === AUDIENCE_LIMITS.leaves + 1) ctx.addIssue({ code: 'custom', path, message: `is one condition too many (at most ${AUDIENCE_LIMITS.leaves})` });
}

export const audienceRule: z.ZodType<AudienceRule> = z
  .object({
    version: z.literal(AUDIENCE_RULE_VERSION, `must be ${AUDIENCE_RULE_VERSION} (the rule format)`),
    root: audienceNode,
  })
  .strict()
  .superRefine((r, ctx) => checkSize(r.root, ['root'], 1, { leaves: 0 }, ctx));

/** A send's id, made by the client (16+ random bytes, base64url): the tracked link names it, a retry repeats it. */
const sendId = z.string().regex(/^[A-Za-z0-9_-]{22,43}$/, 'must be 22-43 base64url characters (16+ random bytes)');
/** A task id the client makes for a task it creates (a retry repeats it). */
const clientTaskId = z.string().regex(/^[A-Za-z0-9_.:-]{8,64}$/, 'must be 8-64 letters, digits or _.:-');
/** Stored task ids are derived from what made them (`first_contact/<customer>/<at>`...). */
const taskId = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
export const materialKinds = ['article', 'video', 'poster', 'live', 'invitation', 'miniprogram', 'script'] as const;
const materialId = z.string().regex(/^[A-Za-z0-9_-]{3,64}$/, 'must be 3-64 letters, digits, _ or -');


// ---------- strategies ----------

const hoursT = z.number().int('must be whole hours').min(1, 'must be at least 1 hour').max(REACTION_LIMITS.maxHours, `must be at most ${REACTION_LIMITS.maxHours} hours`);
const reactionCondition = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('opened') }).strict(),
  z.object({ kind: z.literal('not_opened'), hours: hoursT }).strict(),
  z.object({ kind: z.literal('dwell'), seconds: z.number().int().min(1).max(3600, 'must be at most 3600 seconds') }).strict(),
  z.object({ kind: z.literal('registered') }).strict(),
  z.object({ kind: z.literal('not_registered'), hours: hoursT }).strict(),
  z.object({ kind: z.literal('checked_in') }).strict(),
  z.object({ kind: z.literal('test_drove') }).strict(),
  z.object({ kind: z.literal('ordered') }).strict(),
]);
const reactionAction = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('call'), slaHours: z.number().int().min(1).max(REACTION_LIMITS.maxSlaHours, `must be at most ${REACTION_LIMITS.maxSlaHours} hours`) }).strict(),
  z.object({ kind: z.literal('reinvite'), max: z.number().int().min(1).max(REACTION_LIMITS.maxReinvites, `must be at most ${REACTION_LIMITS.maxReinvites}`) }).strict(),
  z.object({ kind: z.literal('tag'), tagId: z.string().min(1).max(64) }).strict(),
  z.object({ kind: z.literal('move'), strategyId: materialId }).strict(),
  z.object({ kind: z.literal('notify') }).strict(),
]);
export const reactionRule: z.ZodType<ReactionRule> = z.lazy(() =>
  z
    .object({
      id: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be 1-32 letters, digits, _ or -'),
      when: reactionCondition,
      then: z.array(reactionAction).max(4, 'must have at most 4 actions'),
      next: z.array(reactionRule).max(REACTION_LIMITS.maxNodes).optional(),
    })
    .strict(),
);
const minuteOfDay = z.number().int().min(0).max(24 * 60, 'must be minutes of a day (0-1440)');
const sendWindow = z
  .object({
    startAt: z.number().int(),
    endAt: z.number().int(),
    fromMinute: minuteOfDay,
    toMinute: minuteOfDay,
    quiet: z.object({ fromMinute: minuteOfDay, toMinute: minuteOfDay }).strict().optional(),
  })
  .strict()
  .refine((w) => w.endAt >= w.startAt, { message: 'must not end before it starts', path: ['endAt'] })
  .refine((w) => w.endAt - w.startAt <= 92 * DAY_MS, { message: 'must last at most 92 days', path: ['endAt'] })
  .refine((w) => w.toMinute > w.fromMinute, { message: 'must end after it starts in the day', path: ['toMinute'] });
export const strategyInput = z
  .object({
    strategyId: materialId,
    /** 0 for a new strategy, else the version edited. */
    expectedVersion: z.number().int().min(0),
    name: z.string().trim().min(1, 'must not be empty').max(30, 'must be at most 30 characters'),
    audienceId: materialId,
    materialId,
    channel: z.enum(['wecom_chat', 'wecom_mass']),
    window: sendWindow,
    rules: z.array(reactionRule).max(REACTION_LIMITS.maxNodes, `must have at most ${REACTION_LIMITS.maxNodes} rules`).default([]),
    holdoutPercent: z.number().int().min(0).max(50, 'must be at most 50 (%)').default(0),
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
    /** The sidebar's first screen in one call: a customer named by id or by the chat's WeCom contact (exactly one). */
    firstScreen: z
      .object({ customerId: id.optional(), externalUserId: id.optional(), timelineLimit: pageLimit(50, 20), followUpsLimit: pageLimit(50, 20) })
      .strict()
      .refine((p) => (p.customerId === undefined) !== (p.externalUserId === undefined), { path: ['customerId'], message: 'give exactly one of customerId and externalUserId' }),
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
  tasks: {
    /** Consultant: the 任务 inbox (first contacts, 下次跟进, appointments, strategy and reaction tasks). */
    inbox: empty,
    /** Consultant: tick one of their tasks off. */
    complete: z.object({ taskId }).strict(),
    /** Consultant: a 下次跟进 (with its reminder) or an appointment booked with one of their customers. */
    schedule: z
      .object({
        taskId: clientTaskId,
        customerId: id,
        kind: z.enum(['next_follow_up', 'appointment']),
        appointment: z.enum(['test_drive', 'store_visit']).optional(),
        /** When it is due (epoch ms): from now to 90 days ahead. */
        at: z.number().int(),
        note: z.string().trim().max(200, 'must be at most 200 characters').default(''),
      })
      .strict()
      .refine((p) => (p.kind === 'appointment') === (p.appointment !== undefined), { message: 'an appointment says what is booked; a follow-up does not', path: ['appointment'] }),
  },
  audiences: {
    /** Manager: a rule's live count over the store's customers, a sample of members, its description. */
    preview: z.object({ rule: audienceRule, sample: z.number().int().min(0).max(20).default(8) }).strict(),
    /** Manager: save a new audience (`expectedVersion` 0) or an edit of one (its current version). */
    save: z
      .object({
        audienceId: materialId,
        name: z.string().trim().min(1, 'must not be empty').max(30, 'must be at most 30 characters'),
        rule: audienceRule,
        mode: z.enum(['dynamic', 'snapshot']),
        expectedVersion: z.number().int().min(0),
      })
      .strict(),
    /** Manager: the store's saved audiences with their counts, latest edit first. */
    list: empty,
    /** Manager: one saved audience with its live count and a sample of members. */
    get: z.object({ audienceId: materialId, sample: z.number().int().min(0).max(20).default(8) }).strict(),
    /** Manager: take an audience out of the list (strategies keep what they issued). */
    archive: z.object({ audienceId: materialId }).strict(),
  },
  materials: {
    /** Staff: the store's library (the brand's and the store's own), newest first. */
    list: z.object({ kind: z.enum(materialKinds).optional(), archived: z.boolean().optional() }).strict(),
    /** Manager: create or edit one of the store's materials (the id is the client's for a new one). */
    save: z
      .object({
        materialId,
        kind: z.enum(materialKinds),
        title: z.string().trim().min(1, 'must not be empty').max(60, 'must be at most 60 characters'),
        summary: z.string().trim().max(200, 'must be at most 200 characters').default(''),
        body: z.string().trim().max(2000, 'must be at most 2000 characters').optional(),
        category: z.enum(['space', 'driving', 'price', 'safety', 'design', 'tech', 'performance', 'energy', 'event', 'care']).default('event'),
        modelId: id.optional(),
        activityId: id.optional(),
        coverUrl: z.string().url().max(500).optional(),
      })
      .strict()
      .refine((p) => p.kind !== 'invitation' || p.activityId !== undefined, { message: 'an invitation names its event', path: ['activityId'] })
      .refine((p) => p.kind !== 'script' || (p.body ?? '') !== '', { message: 'a script needs its text', path: ['body'] }),
    /** Manager: take one of the store's materials out of the library, or put it back. */
    archive: z.object({ materialId, archived: z.boolean() }).strict(),
  },
  sends: {
    /** Consultant: one material to one of their customers (the sidebar's one tap, or a copied link). */
    send: z
      .object({ sendId, customerId: id, materialId, channel: z.enum(['wecom_chat', 'wecom_share', 'copy']), taskId: taskId.optional() })
      .strict(),
    /** Consultant: one material to several of their customers, as WeCom mass-send tasks or copied links. */
    batch: z
      .object({
        materialId,
        channel: z.enum(['wecom_mass', 'copy']),
        items: z.array(z.object({ sendId, customerId: id, taskId: taskId.optional() }).strict()).min(1, 'must name at least one customer').max(50, 'must name at most 50 customers'),
      })
      .strict(),
    /** Staff: what was sent to a customer and what they did with it, newest first. */
    ofCustomer: z.object({ customerId: id }).strict(),
    /** Manager: the store's marketing frequency cap. */
    cap: empty,
    /** Manager: set the store's cap, at most `touches` marketing sends per customer in any `days` days. */
    setCap: z
      .object({
        touches: z.number().int('must be a whole number').min(1, 'must be at least 1').max(10, 'must be at most 10'),
        days: z.number().int('must be a whole number').min(1, 'must be at least 1').max(30, 'must be at most 30'),
      })
      .strict(),
  },
  strategies: {
    /** Manager: the store's strategies with their issue counts, last edited first. */
    list: empty,
    get: z.object({ strategyId: materialId }).strict(),
    /** Manager: create (expectedVersion 0) or edit a strategy. */
    save: strategyInput,
    /** Manager: issue it to its audience now (again: only customers new to it get tasks). */
    issue: z.object({ strategyId: materialId }).strict(),
    /** Manager: live progress per consultant and funnels by channel and consultant, with the holdout's baseline. */
    progress: z.object({ strategyId: materialId }).strict(),
    /** Manager: the store's KPIs and latest notices for the manager's home. */
    home: empty,
  },
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
