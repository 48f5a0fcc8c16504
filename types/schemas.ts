/**
 * Input schemas of every function action. The functions validate with these at their boundary;
 * the app imports only the inferred types (see `api.ts`), so zod stays out of the app bundle.
 */
import { z } from 'zod';

const id = z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters');
const cursor = z.string().max(200).optional();
const pageLimit = (max: number, dflt: number) => z.number().int().min(1).max(max).default(dflt);

export const touchpointTypes = [
  'ad_click',
  'live_stream',
  'content_view',
  'share',
  'form_submit',
  'store_visit',
  'test_drive',
  'quote',
  'order',
  'delivery',
  'service_visit',
  'wecom_chat',
  'call',
] as const;

const empty = z.object({}).strict();

/**
 * One Segment-style track event, stating the rules of `normalizeTrack` in
 * `cloudfunctions/_core/events/validate.ts` (which also normalises identifiers and checks
 * the known properties of each type). It types the app's calls; `track.ingest` lets each event
 * through as an object so that one bad event is reported by index instead of failing the batch.
 */
const epochOrIso = z.union([
  z.number().int(),
  z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/, 'must be ISO 8601 with a time zone'),
]);
const identityValue = z.union([z.string(), z.number()]);
export const trackEvent = z
  .object({
    type: z.literal('track').optional(),
    messageId: z.string().min(1).max(100).regex(/^[A-Za-z0-9_.:-]+$/, 'must be 1-100 letters, digits or _.:-'),
    event: z.enum(touchpointTypes),
    identities: z
      .object({ phone: identityValue, oemId: identityValue, unionid: identityValue, externalUserId: identityValue, openid: identityValue })
      .partial()
      .strict()
      .optional(),
    customerId: id.optional(),
    properties: z
      .record(z.string().max(64).regex(/^[A-Za-z][A-Za-z0-9_]*$/), z.union([z.string().max(500), z.number().finite(), z.boolean(), z.null()]))
      .refine((p) => Object.keys(p).length <= 50, 'must have at most 50 keys')
      .optional(),
    originalTimestamp: epochOrIso,
    sentAt: epochOrIso.optional(),
    receivedAt: epochOrIso.optional(),
    source: z.string().max(32).regex(/^[a-z][a-z0-9_]*$/, 'must be a channel id'),
    storeId: id,
    staffId: id.optional(),
  })
  .strict();
export type TrackEventInput = z.input<typeof trackEvent>;

const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);

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
  },
  leads: {
    list: z
      .object({
        cursor,
        limit: pageLimit(50, 20),
        /** Managers may narrow the store's list to one consultant. */
        ownerId: id.optional(),
      })
      .strict(),
    /** The store's pool (公海): leads nobody owns, latest activity first. */
    pool: z.object({ cursor, limit: pageLimit(50, 20) }).strict(),
    claim: z.object({ customerId: id }).strict(),
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
  },
  track: {
    ingest: z
      .object({
        events: z
          .array(z.custom<TrackEventInput>(isObject, 'event must be an object'))
          .min(1, 'must hold 1-100 events')
          .max(100, 'must hold 1-100 events'),
      })
      .strict(),
  },
  activities: {
    get: z.object({ activityId: id }).strict(),
    upcoming: z.object({ storeId: id.optional() }).strict(),
  },
} as const;

export type Schemas = typeof schemas;
