/**
 * The two audiences the source articles define, written with the demo's real event types
 * and property names. They are templates the manager can start from, and the benchmark's
 * audiences; the engine knows nothing special about them.
 *
 * (a) 高意向&高活跃人群: "在私域90天内分享3次以上并访问过触点，并在不同渠道产生过留资问询、
 *     试驾、预订行为；高购买意愿、高购买能力的非车主/车主". Within the last 90 days:
 *     - shared ≥ 3 times (`share`; shares come from the private-domain channels);
 *     - visited a private-domain touchpoint: `content_view` from an owned channel
 *       (小程序, 澜山App, 企业微信, 官网);
 *     - in any channel, left contact details for an inquiry (`form_submit` with `form`
 *       price_inquiry / brochure / trade_in), booked a test drive (`form_submit` with `form`
 *       test_drive_booking), took a test drive (`test_drive`) or ordered (`order`);
 *     - and carries the tags 意向高 (`intent-level-high`) and 购买力高 (`power-level-high`);
 *       owners or not, so no stage condition.
 * (b) SUV试驾人群: "生命周期属线索或潜客，季度内（以自然月为准）登录过APP + 分享SUV相关内容
 *     3次以上 + 填写过SUV试驾调研问卷". The quarter is the calendar quarter and scopes all
 *     three behaviours:
 *     - stage lead or prospect;
 *     - active in the app this quarter: any event from 澜山App or the mini-program (our
 *       customers' logged-in surfaces; no other demo event is a log-in);
 *     - shared SUV content ≥ 3 times this quarter: `share` whose material's `modelId` is of
 *       the model *line* SUV (揽岳, 途遥, 凌峰), as the demo's SUV survey and SUV test-drive
 *       activity mean it; `{ by: 'body', in: ['suv'] }` would add the NEV SUVs;
 *     - filled the SUV test-drive survey this quarter: `form_submit` with `form` survey and
 *       `formName` 'SUV 试驾意向问卷'.
 */
import type { AudienceRule, TimeWindow } from './audience';

const last90: TimeWindow = { kind: 'last', days: 90 };
const thisQuarter: TimeWindow = { kind: 'this', period: 'quarter' };
const atLeast = (value: number) => ({ op: 'gte', value }) as const;

export const HIGH_INTENT_ACTIVE: AudienceRule = {
  version: 1,
  root: {
    kind: 'and',
    of: [
      { kind: 'behaviour', event: { types: ['share'] }, count: atLeast(3), window: last90 },
      { kind: 'behaviour', event: { types: ['content_view'], sources: ['miniprogram', 'app', 'wecom', 'website'] }, count: atLeast(1), window: last90 },
      {
        kind: 'or',
        of: [
          {
            kind: 'behaviour',
            event: { types: ['form_submit'], where: [{ key: 'form', op: 'in', values: ['price_inquiry', 'brochure', 'trade_in'] }] },
            count: atLeast(1),
            window: last90,
          },
          { kind: 'behaviour', event: { types: ['form_submit'], where: [{ key: 'form', op: 'eq', value: 'test_drive_booking' }] }, count: atLeast(1), window: last90 },
          { kind: 'behaviour', event: { types: ['test_drive'] }, count: atLeast(1), window: last90 },
          { kind: 'behaviour', event: { types: ['order'] }, count: atLeast(1), window: last90 },
        ],
      },
      { kind: 'tags', match: 'all', ids: ['intent-level-high', 'power-level-high'] },
    ],
  },
};

export const SUV_TEST_DRIVE: AudienceRule = {
  version: 1,
  root: {
    kind: 'and',
    of: [
      { kind: 'stage', in: ['lead', 'prospect'] },
      { kind: 'behaviour', event: { sources: ['app', 'miniprogram'] }, count: atLeast(1), window: thisQuarter },
      { kind: 'behaviour', event: { types: ['share'], model: { by: 'line', in: ['SUV'] } }, count: atLeast(3), window: thisQuarter },
      {
        kind: 'behaviour',
        event: {
          types: ['form_submit'],
          where: [
            { key: 'form', op: 'eq', value: 'survey' },
            { key: 'formName', op: 'eq', value: 'SUV 试驾意向问卷' },
          ],
        },
        count: atLeast(1),
        window: thisQuarter,
      },
    ],
  },
};

/** The article audiences by name, for the editor's template list. */
export const AUDIENCE_TEMPLATES: readonly { id: string; name: string; rule: AudienceRule }[] = [
  { id: 'high_intent_active', name: '高意向&高活跃人群', rule: HIGH_INTENT_ACTIVE },
  { id: 'suv_test_drive', name: 'SUV试驾人群', rule: SUV_TEST_DRIVE },
];
