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
  activities: {
    get: z.object({ activityId: id }).strict(),
    upcoming: z.object({ storeId: id.optional() }).strict(),
  },
} as const;

export type Schemas = typeof schemas;
