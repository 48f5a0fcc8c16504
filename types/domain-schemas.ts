/**
 * The two inputs checked field by field with the house's own messages: a track event and a
 * store's scoring model. These schemas are their only runtime check and their types
 * (docs/decisions/0013-one-validator-per-input.md): the functions' boundaries and `_core`
 * (`normalizeTrack`, `validateModel`) parse with them, and `_core` adds only what needs the
 * domain: OneID's identifier rules and the server's clock. A message is what a reply says after
 * the field's dotted path, e.g. `engagement.groups.1.rules.0.dailyCap: must be greater than 0`;
 * each unknown key is its own issue (see `fieldIssues` in cloudfunctions/_core/field-issues.ts).
 */
import { z } from 'zod';
import {
  CHANNEL_KINDS,
  CITY_TIERS,
  LIFECYCLE_STAGES,
  MODEL_LINES,
  PROPERTY_RULES,
  REASON_PLACEHOLDERS,
  RETENTION_DAYS,
  TOUCHPOINT_TYPES,
  type IntentGrade,
  type PropertyRule,
  type TouchpointType,
} from './catalog';
import type { IdentityType, ScoringModel } from './model';
import { TAGS } from './tags';

// ---------- parts ----------

type Path = readonly PropertyKey[];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A strict object: its own two problems (not an object, an unknown key) in the house's words. */
const strict = <S extends z.ZodRawShape>(shape: S, notObject = 'must be an object', unknownKey = 'is not a known field') =>
  z.strictObject(shape, { error: (iss) => (iss.code === 'unrecognized_keys' ? unknownKey : notObject) });

/** Whether one path lies on the other (one is a prefix of the other). */
const related = (a: Path, b: Path) => a.slice(0, b.length).every((k, i) => k === b[i]);

/**
 * When a cross-field rule runs: as soon as the fields it reads (paths relative to the object it
 * is on; [] is all of it) are valid, whatever else is wrong. zod would skip it after any failed
 * field, and a reply names every problem at once.
 */
const onceValid = (...fields: Path[]) => ({
  when: (p: z.core.ParsePayload) =>
    isObject(p.value) && !p.issues.some((i) => i.code !== 'unrecognized_keys' && fields.some((f) => related(i.path ?? [], f))),
});
/** A rule that reads the object however its fields fared. */
const anyObject = { when: (p: z.core.ParsePayload) => isObject(p.value) };

/** The two ends of a range (gte/lte, min/max) in order, once both are valid. */
const inOrder = (lo: string, hi: string) =>
  [
    (v: Record<string, unknown>, ctx: z.RefinementCtx) => {
      const [a, b] = [v[lo], v[hi]];
      if (typeof a === 'number' && typeof b === 'number' && a > b) ctx.addIssue({ code: 'custom', message: `${lo} must not be greater than ${hi}`, input: v });
    },
    onceValid([lo], [hi]),
  ] as const;

const NON_EMPTY = 'must be a non-empty string';
const text = (max: number) => z.string({ error: NON_EMPTY }).regex(/\S/, NON_EMPTY).max(max, `must be at most ${max} characters`);

function number(min: number, max: number, opts: { integer?: boolean; exclusiveMin?: boolean } = {}) {
  const n = z.number({ error: 'must be a number' });
  const whole = opts.integer ? n.int('must be a whole number') : n;
  const floor = opts.exclusiveMin ? whole.gt(min, `must be greater than ${min}`) : whole.min(min, `must be at least ${min}`);
  return floor.max(max, `must be at most ${max}`);
}

const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: `must be one of ${values.join(', ')}` });
const list = <T extends z.ZodType>(item: T) => z.array(item, { error: 'must be a list' });
const nonEmptyList = <T extends z.ZodType>(item: T) => z.array(item, { error: 'must be a non-empty list' }).min(1, 'must be a non-empty list');

const CHANNEL_ID = /^[a-z][a-z0-9_]{0,31}$/;
const PROPERTY_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const channelId = (message: string) => z.string({ error: message }).regex(CHANNEL_ID, message);
const propertyName = z.string({ error: 'must be a property name' }).regex(PROPERTY_NAME, 'must be a property name');

// ---------- a track event ----------

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const EPOCH = 'must be an integer of epoch milliseconds';
const ISO = 'must be epoch milliseconds or ISO 8601 with a time zone';

/**
 * A time as epoch milliseconds or ISO 8601 with a zone, by its shape; `parseTime` in `_core`
 * reads it (a real date, 2015 to 2100) and corrects it with the server's clock.
 */
export const epochOrIso = z.union([z.number().int(EPOCH), z.string().regex(ISO_WITH_ZONE, ISO)], {
  error: (iss) =>
    iss.input === undefined ? 'is required' : typeof iss.input === 'number' ? EPOCH : typeof iss.input === 'string' ? ISO : 'must be epoch milliseconds or an ISO 8601 string',
});

const eventId = z
  .string({ error: (iss) => (iss.input === undefined ? 'is required' : NON_EMPTY) })
  .trim()
  .min(1, NON_EMPTY)
  .max(64, 'must be at most 64 characters');

/** By shape only: OneID's rules (normalising, dropping placeholders) belong to `_core/oneid`. */
const identityValue = z.union([z.string(), z.number(), z.null()], { error: 'must be a string' }).optional();
const identities = strict(
  { phone: identityValue, oemId: identityValue, unionid: identityValue, externalUserId: identityValue, openid: identityValue } satisfies Record<IdentityType, z.ZodType>,
  'must be an object',
  'is not a known identifier type',
);

const SCALAR = 'must be a string, finite number, boolean or null';
/** `undefined` is let through (and dropped by `_core`) for callers in the same process. */
const propertyValue = z.union([z.string().max(500, 'must be at most 500 characters').trim(), z.number(), z.boolean(), z.null(), z.undefined()], { error: SCALAR });
const properties = z
  .record(z.string().regex(PROPERTY_NAME), propertyValue, {
    error: (iss) => (iss.code === 'invalid_key' ? 'key must start with a letter and hold only letters, digits and _ (at most 64)' : 'must be an object'),
  })
  .refine((p) => Object.keys(p).length <= 50, { message: 'must have at most 50 keys', ...anyObject });

/** The check of one known property, from its rule in the catalog. */
function propertyCheck({ kind, nullable }: PropertyRule): z.ZodType {
  const says = (message: string) => ({ error: (iss: { input?: unknown }) => (iss.input === null ? 'must not be null' : message) });
  const COUNT = 'must be a whole number >= 0';
  let check: z.ZodType;
  if (typeof kind !== 'string') check = z.enum(kind as readonly [string, ...string[]], says(`must be one of ${kind.join(', ')}`));
  else if (kind === 'string') check = z.string(says(NON_EMPTY)).regex(/\S/, NON_EMPTY);
  else if (kind === 'boolean') check = z.boolean(says('must be true or false'));
  else if (kind === 'number') check = z.number(says('must be a number'));
  else if (kind === 'nonNegative') check = z.number(says('must be a number >= 0')).min(0, 'must be a number >= 0');
  else check = z.number(says(COUNT)).int(COUNT).min(0, COUNT);
  return nullable ? check.nullable() : check;
}

const PROPERTY_CHECKS = new Map(TOUCHPOINT_TYPES.map((t) => [t, Object.entries(PROPERTY_RULES[t]).map(([key, rule]) => [key, propertyCheck(rule)] as const)]));
const isTouchpoint = (v: unknown): v is TouchpointType => (TOUCHPOINT_TYPES as readonly unknown[]).includes(v);

/**
 * One Segment-style track event. `track.ingest` lets each event of a batch through as an object
 * and `normalizeBatch` parses them one by one, so a bad event is reported by its index while
 * the others go on.
 */
export const trackEvent = strict(
  {
    /** Accepted for Segment compatibility. */
    type: z.literal('track', { error: "must be 'track'" }).optional(),
    /** Becomes the event's `_id`, so a repeat is a no-op. */
    messageId: z
      .string({ error: 'is required' })
      .min(1, 'is required')
      .regex(/^[A-Za-z0-9_.:-]{0,100}$/, 'must be 1-100 letters, digits or _.:-'),
    event: oneOf(TOUCHPOINT_TYPES),
    /** Either these (at least one usable) or `customerId` names the customer. */
    identities: identities.optional(),
    /** Set by store-side records of a known customer. */
    customerId: eventId.optional(),
    /** Scalars; the known ones of each type are checked by `PROPERTY_RULES`. */
    properties: properties.optional(),
    originalTimestamp: epochOrIso,
    sentAt: epochOrIso.optional(),
    /** Read only from a trusted relay (the OEM); otherwise the server's clock. */
    receivedAt: epochOrIso.optional(),
    source: channelId('must be a channel id: lower-case letters, digits and _ (at most 32)'),
    storeId: eventId,
    staffId: eventId.optional(),
  },
  'event must be an object',
).superRefine(
  (e, ctx) => {
    const given = e.properties ?? {};
    const failed = new Set(ctx.issues.filter((i) => i.path?.[0] === 'properties').map((i) => i.path?.[1]));
    for (const [key, check] of PROPERTY_CHECKS.get(e.event) ?? []) {
      const v = given[key];
      if (v === undefined || failed.has(key)) continue;
      const r = check.safeParse(v);
      if (!r.success) ctx.addIssue({ code: 'custom', path: ['properties', key], message: r.error.issues[0].message, input: v });
    }
    for (const [key, rule] of Object.entries(PROPERTY_RULES[e.event])) {
      if (rule.required && (given[key] === undefined || given[key] === null))
        ctx.addIssue({ code: 'custom', path: ['properties', key], message: `is required for ${e.event} events`, input: given[key] });
    }
  },
  { when: (p) => isObject(p.value) && isTouchpoint(p.value.event) && (p.value.properties === undefined || isObject(p.value.properties)) },
);
export type TrackEventInput = z.input<typeof trackEvent>;

const batchOf = <T extends z.ZodType>(event: T) =>
  z.array(event, { error: 'must be an array of events' }).min(1, 'must hold 1-100 events').max(100, 'must hold 1-100 events');
/** A batch as `normalizeBatch` takes it; each event is then parsed on its own. */
export const trackBatch = batchOf(z.unknown());
/** The batch at the `track.ingest` boundary: typed for the app, each event let through as an object. */
export const trackEvents = batchOf(z.custom<TrackEventInput>(isObject, 'event must be an object'));

// ---------- the scoring model ----------

const ID = /^[a-z][a-z0-9_]{0,39}$/;
const RULE_ID = 'must be lower-case letters, digits and _ (starting with a letter, at most 40)';
const ruleId = z.string({ error: RULE_ID }).regex(ID, RULE_ID);
const label = text(20);
const cap = number(0, 100, { exclusiveMin: true });
const points = number(-100, 100).refine((v) => v !== 0, 'must not be 0');
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()], { error: 'must be a string, number, boolean or null' });
const bound = number(-1e12, 1e12);

/** A test on an event property: exactly one of `equals`, `in`, or a `gte`/`lte` range. */
const propertyCondition = strict({ key: propertyName, equals: scalar.optional(), in: nonEmptyList(scalar).optional(), gte: bound.optional(), lte: bound.optional() })
  .superRefine((c, ctx) => {
    const tests = [c.equals !== undefined, c.in !== undefined, c.gte !== undefined || c.lte !== undefined].filter(Boolean).length;
    if (tests !== 1) ctx.addIssue({ code: 'custom', message: 'must have exactly one of equals, in, or a gte/lte range', input: c });
  }, anyObject)
  .superRefine(...inOrder('gte', 'lte'));

const eventFilter = strict({
  types: nonEmptyList(oneOf(TOUCHPOINT_TYPES)),
  sources: nonEmptyList(channelId('must be a channel id')).optional(),
  modelLines: nonEmptyList(oneOf(MODEL_LINES)).optional(),
  where: list(propertyCondition).optional(),
});

const PLACEHOLDERS = REASON_PLACEHOLDERS.map((p) => `{${p}}`).join(' ');
/** A Chinese reason template: known {placeholders} only, optional parts in balanced [ ]. */
const reasonTemplate = text(60).superRefine((s, ctx) => {
  let depth = 0;
  for (const ch of s) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (depth < 0 || depth > 1) break;
  }
  if (depth !== 0) ctx.addIssue({ code: 'custom', message: 'has unbalanced [ ]', input: s });
  for (const m of s.matchAll(/\{([^}]*)\}/g)) {
    if (!(REASON_PLACEHOLDERS as readonly string[]).includes(m[1]))
      ctx.addIssue({ code: 'custom', message: `uses unknown placeholder {${m[1]}}; use ${PLACEHOLDERS}`, input: s });
  }
});

const engagementRule = strict({
  id: ruleId,
  label,
  filter: eventFilter,
  points,
  dailyCap: cap,
  windowDays: number(1, RETENTION_DAYS, { integer: true }),
  measure: propertyName.optional(),
  reason: reasonTemplate,
}).superRefine((r, ctx) => {
  // Also against points out of range: a number is all this comparison needs.
  if (typeof r.points === 'number' && r.dailyCap < Math.abs(r.points))
    ctx.addIssue({ code: 'custom', path: ['dailyCap'], message: 'must be at least the points of one event', input: r.dailyCap });
}, onceValid(['dailyCap']));

const LEAF_TAGS: ReadonlySet<string> = new Set(TAGS.filter((t) => t.level === 3).map((t) => t.id));
const LEAF_TAG = 'must be a leaf tag id of the taxonomy';

/** Cars owned (min and max inclusive) or the oldest car's age in years. */
const range = <A extends string>(attr: A, most: number) =>
  strict({ attr: z.literal(attr), min: number(0, most).optional(), max: number(0, most).optional() })
    .superRefine((c, ctx) => {
      if (c.min === undefined && c.max === undefined) ctx.addIssue({ code: 'custom', message: 'must have min or max', input: c });
    }, anyObject)
    .superRefine(...inOrder('min', 'max'));

const FIT_CONDITIONS = [
  strict({ attr: z.literal('stage'), in: nonEmptyList(oneOf(LIFECYCLE_STAGES)) }),
  strict({ attr: z.literal('cityTier'), in: nonEmptyList(oneOf(CITY_TIERS)) }),
  strict({ attr: z.literal('tag'), anyOf: nonEmptyList(z.string({ error: LEAF_TAG }).refine((id) => LEAF_TAGS.has(id), LEAF_TAG)) }),
  strict({ attr: z.literal('sourceChannel'), in: nonEmptyList(channelId('must be a channel id')) }),
  strict({ attr: z.literal('sourceKind'), in: nonEmptyList(oneOf(CHANNEL_KINDS)) }),
  range('vehiclesOwned', 100),
  range('vehicleAgeYears', 50),
] as const;
const FIT_ATTRS = FIT_CONDITIONS.map((c) => c.shape.attr.value).join(', ');
const fitCondition = z.discriminatedUnion('attr', FIT_CONDITIONS, {
  error: (iss) => (isObject(iss.input) ? `must be one of ${FIT_ATTRS}` : 'must be an object'),
});

const fitRule = strict({
  id: ruleId,
  label,
  when: fitCondition,
  points,
  reason: text(60).regex(/^[^{}[\]]*$/, 'is plain text: no {placeholders} or [ ]'),
});

const part = <R extends z.ZodType>(rule: R) => strict({ cap, groups: list(strict({ id: ruleId, label, cap, rules: list(rule) })) });

const score = number(0, 100);
/** Lowest total for each grade, H > A > B > C. */
const grades = strict({ H: score, A: score, B: score, C: score } satisfies Record<IntentGrade, z.ZodType>).superRefine((g, ctx) => {
  if (!(g.H > g.A)) ctx.addIssue({ code: 'custom', path: ['A'], message: 'must be lower than grades.H', input: g.A });
  if (!(g.A > g.B)) ctx.addIssue({ code: 'custom', path: ['B'], message: 'must be lower than grades.A', input: g.B });
  if (!(g.B > g.C)) ctx.addIssue({ code: 'custom', path: ['C'], message: 'must be lower than grades.B', input: g.C });
}, onceValid([]));

const items = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const member = (v: unknown, key: string): unknown => (isObject(v) ? v[key] : undefined);

/**
 * A store's lead-scoring model as a manager saves it (meaning and default in
 * cloudfunctions/_core/scoring/model.ts): caps adding up to 100, group and rule ids unique
 * across the model, and no unknown fields anywhere. Typed as `ScoringModel`, so the schema and
 * the stored document cannot drift apart.
 */
export const scoringModel: z.ZodType<ScoringModel, ScoringModel> = strict({
  version: number(1, Number.MAX_SAFE_INTEGER, { integer: true }),
  name: text(40),
  fit: part(fitRule),
  engagement: part(engagementRule),
  grades,
})
  .superRefine((m, ctx) => {
    if (m.fit.cap + m.engagement.cap !== 100) ctx.addIssue({ code: 'custom', path: ['engagement', 'cap'], message: 'fit.cap + engagement.cap must be 100', input: m.engagement.cap });
  }, onceValid(['fit', 'cap'], ['engagement', 'cap']))
  .superRefine((m, ctx) => {
    // Read as it came: the ids are compared even when other fields are wrong.
    const seen = new Map<string, string>();
    for (const side of ['fit', 'engagement']) {
      items(member(member(m, side), 'groups')).forEach((g, gi) => {
        const ids: [unknown, (string | number)[]][] = [[member(g, 'id'), [side, 'groups', gi, 'id']]];
        items(member(g, 'rules')).forEach((r, ri) => ids.push([member(r, 'id'), [side, 'groups', gi, 'rules', ri, 'id']]));
        for (const [id, path] of ids) {
          if (typeof id !== 'string' || !ID.test(id)) continue;
          const first = seen.get(id);
          if (first) ctx.addIssue({ code: 'custom', path, message: `duplicates the id at ${first}`, input: id });
          else seen.set(id, path.join('.'));
        }
      });
    }
  }, anyObject);
