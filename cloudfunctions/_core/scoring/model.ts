/**
 * The scoring model: a plain, JSON-able, versioned object a store manager can tune.
 *
 * total (0-100) = fit (0..fit.cap) + engagement (0..engagement.cap), caps adding up to 100.
 * - Fit rules test the customer's attributes (stage, city tier, cars owned and their age,
 *   tags such as purchasing power, source channel); each rule that holds gives its points once.
 * - Engagement rules count events: each rule has an event filter (types, sources, model lines,
 *   property conditions such as category or dwellSeconds >= 30), points per event, a per-day
 *   cap, and a window in days after which its points expire. Negative rules (lost, unsubscribed,
 *   calls not answered) take points away.
 * - Rules sit in groups; a group's net points are capped at +-cap.
 * - Grade thresholds turn the total into the suggested grade (below C: no grade).
 *
 * Reasons are Chinese templates with placeholders {days} {count} {dwell} {models} {points};
 * a part in [square brackets] is left out when a placeholder inside it has nothing to show.
 */
import type { EngagementRule, ModelLine, ScoringModel } from '../../../types/model';
import { TOUCHPOINT_LABELS } from '../../../types/vocabulary';

export type { EngagementGroup, EngagementRule, EventFilter, FitCondition, FitGroup, FitRule, PropertyCondition, Scalar, ScoringModel } from '../../../types/model';

/** The longest window a rule may use: per-day counters are kept this long. */
export { RETENTION_DAYS as MAX_WINDOW_DAYS } from '../events/activity';

const contentRule = (id: string, label: string, lines: ModelLine[], reasonName: string): EngagementRule => ({
  id,
  label,
  filter: { types: ['content_view'], modelLines: lines, where: [{ key: 'dwellSeconds', gte: 30 }] },
  points: 2,
  dailyCap: 6,
  windowDays: 30,
  reason: `近{days}天浏览${reasonName}内容{count}次[，累计停留{dwell}]`,
});

/** A realistic starting point for a Chinese dealer; managers tune from here. */
export const DEFAULT_MODEL: ScoringModel = {
  version: 1,
  name: '默认线索评分模型',
  fit: {
    cap: 30,
    groups: [
      {
        id: 'fit_stage',
        label: '客户阶段',
        cap: 10,
        rules: [
          { id: 'prospect', label: '潜客', when: { attr: 'stage', in: ['prospect'] }, points: 6, reason: '已到店或试驾的潜客' },
          { id: 'replace_peak', label: '车龄5年以上', when: { attr: 'vehicleAgeYears', min: 5 }, points: 10, reason: '车龄5年以上，处于换购高峰期' },
          { id: 'replace_watch', label: '车龄3-5年', when: { attr: 'vehicleAgeYears', min: 3, max: 5 }, points: 5, reason: '车龄3-5年，进入换购观察期' },
        ],
      },
      {
        id: 'fit_city',
        label: '所在城市',
        cap: 5,
        rules: [
          { id: 'city_t1', label: '一线城市', when: { attr: 'cityTier', in: ['t1'] }, points: 5, reason: '一线城市客户' },
          { id: 'city_new_t1', label: '新一线城市', when: { attr: 'cityTier', in: ['new_t1'] }, points: 4, reason: '新一线城市客户' },
          { id: 'city_t2', label: '二线城市', when: { attr: 'cityTier', in: ['t2'] }, points: 2, reason: '二线城市客户' },
        ],
      },
      {
        id: 'fit_power',
        label: '购买力',
        cap: 10,
        rules: [
          { id: 'power_high', label: '购买力高', when: { attr: 'tag', anyOf: ['power-level-high'] }, points: 8, reason: '购买力高' },
          { id: 'power_medium', label: '购买力中', when: { attr: 'tag', anyOf: ['power-level-medium'] }, points: 4, reason: '购买力中等' },
          { id: 'budget_20', label: '预算20万以上', when: { attr: 'tag', anyOf: ['intent-budget-20_30', 'intent-budget-gt30'] }, points: 3, reason: '购车预算20万以上' },
          { id: 'full_payment', label: '全款倾向', when: { attr: 'tag', anyOf: ['power-finance-full'] }, points: 2, reason: '倾向全款购车' },
        ],
      },
      {
        id: 'fit_source',
        label: '来源渠道',
        cap: 6,
        rules: [
          { id: 'referral', label: '车主推荐', when: { attr: 'sourceChannel', in: ['referral'] }, points: 6, reason: '老车主推荐的客户' },
          { id: 'hotline', label: '400来电', when: { attr: 'sourceChannel', in: ['hotline'] }, points: 4, reason: '主动致电400热线' },
          { id: 'vertical', label: '垂媒线索', when: { attr: 'sourceKind', in: ['vertical'] }, points: 3, reason: '来自汽车垂直媒体的线索' },
          { id: 'owned', label: '私域线索', when: { attr: 'sourceKind', in: ['owned'] }, points: 3, reason: '来自品牌私域渠道' },
        ],
      },
      {
        id: 'fit_risk',
        label: '风险标记',
        cap: 30,
        rules: [
          { id: 'tag_lost', label: '已战败', when: { attr: 'tag', anyOf: ['lifecycle-risk-lost'] }, points: -20, reason: '已被标记为战败客户' },
          { id: 'tag_no_disturb', label: '勿扰', when: { attr: 'tag', anyOf: ['risk-contact-no_disturb'] }, points: -10, reason: '客户要求勿扰' },
          { id: 'tag_coupon', label: '疑似羊毛党', when: { attr: 'tag', anyOf: ['risk-coupon-suspected'] }, points: -15, reason: '疑似羊毛党' },
        ],
      },
    ],
  },
  engagement: {
    cap: 70,
    groups: [
      {
        id: 'eng_intent',
        label: '强意向行为',
        cap: 40,
        rules: [
          {
            id: 'test_drive',
            label: '到店试驾',
            filter: { types: ['test_drive'] },
            points: 20,
            dailyCap: 20,
            windowDays: 30,
            reason: '近{days}天到店试驾{count}次[（{models}）]',
          },
          {
            id: 'booking',
            label: '预约试驾',
            filter: { types: ['form_submit'], where: [{ key: 'form', equals: 'test_drive_booking' }] },
            points: 15,
            dailyCap: 15,
            windowDays: 30,
            reason: '已预约试驾[（{models}）]',
          },
          { id: 'quote', label: '已报价', filter: { types: ['quote'] }, points: 15, dailyCap: 15, windowDays: 30, reason: '近{days}天已报价[（{models}）]' },
          {
            id: 'price_inquiry',
            label: '询底价',
            filter: { types: ['form_submit'], where: [{ key: 'form', equals: 'price_inquiry' }] },
            points: 8,
            dailyCap: 8,
            windowDays: 30,
            reason: '近{days}天询底价{count}次[（{models}）]',
          },
          {
            id: 'trade_in',
            label: '置换评估',
            filter: { types: ['form_submit'], where: [{ key: 'form', equals: 'trade_in' }] },
            points: 8,
            dailyCap: 8,
            windowDays: 60,
            reason: '近{days}天做过置换评估',
          },
        ],
      },
      {
        id: 'eng_visit',
        label: '到店',
        cap: 15,
        rules: [
          { id: 'store_visit', label: '到店', filter: { types: ['store_visit'] }, points: 10, dailyCap: 10, windowDays: 14, reason: '近{days}天到店{count}次' },
        ],
      },
      {
        id: 'eng_content',
        label: '内容互动',
        cap: 25,
        rules: [
          contentRule('suv_content', '浏览SUV内容', ['SUV'], 'SUV'),
          contentRule('nev_content', '浏览新能源内容', ['NEV'], '新能源车型'),
          contentRule('sedan_content', '浏览轿车内容', ['sedan'], '轿车'),
          contentRule('mpv_content', '浏览MPV内容', ['MPV'], 'MPV'),
          {
            id: 'deep_read',
            label: '深度阅读',
            filter: { types: ['content_view'], where: [{ key: 'dwellSeconds', gte: 180 }] },
            points: 3,
            dailyCap: 6,
            windowDays: 30,
            reason: '近{days}天深度阅读{count}篇（每篇停留3分钟以上）',
          },
          {
            id: 'price_content',
            label: '关注价格权益',
            filter: { types: ['content_view'], where: [{ key: 'category', equals: 'price' }] },
            points: 2,
            dailyCap: 4,
            windowDays: 30,
            reason: '近{days}天查看价格权益内容{count}次',
          },
          {
            id: 'live',
            label: TOUCHPOINT_LABELS.live_stream,
            filter: { types: ['live_stream'], where: [{ key: 'watchSeconds', gte: 300 }] },
            points: 3,
            dailyCap: 6,
            windowDays: 30,
            measure: 'watchSeconds',
            reason: '近{days}天观看直播{count}场[，累计{dwell}]',
          },
          { id: 'ad_click', label: '点击广告', filter: { types: ['ad_click'] }, points: 1, dailyCap: 2, windowDays: 14, reason: '近{days}天点击广告{count}次[（{models}）]' },
        ],
      },
      {
        id: 'eng_social',
        label: '主动沟通与分享',
        cap: 12,
        rules: [
          { id: 'share', label: '分享内容', filter: { types: ['share'] }, points: 3, dailyCap: 6, windowDays: 30, reason: '近{days}天分享内容{count}次' },
          {
            id: 'wecom_in',
            label: '企微主动咨询',
            filter: { types: ['wecom_chat'], where: [{ key: 'direction', equals: 'in' }] },
            points: 2,
            dailyCap: 4,
            windowDays: 14,
            reason: '近{days}天主动在企业微信咨询{count}次',
          },
          {
            id: 'call_in',
            label: '来电咨询',
            filter: { types: ['call'], where: [{ key: 'direction', equals: 'inbound' }] },
            points: 4,
            dailyCap: 4,
            windowDays: 14,
            reason: '近{days}天来电咨询{count}次',
          },
          {
            id: 'signup',
            label: '报名活动',
            filter: { types: ['form_submit'], where: [{ key: 'form', equals: 'activity_signup' }] },
            points: 4,
            dailyCap: 4,
            windowDays: 30,
            reason: '近{days}天报名活动{count}次',
          },
        ],
      },
      {
        id: 'eng_negative',
        label: '负面信号',
        cap: 40,
        rules: [
          {
            id: 'lost',
            label: '标记战败',
            filter: { types: ['call', 'wecom_chat', 'store_visit', 'test_drive', 'quote'], where: [{ key: 'outcome', equals: 'lost' }] },
            points: -30,
            dailyCap: 30,
            windowDays: 90,
            reason: '近{days}天被标记战败',
          },
          {
            id: 'unsubscribe',
            label: '退订或删除好友',
            filter: { types: ['wecom_chat', 'form_submit'], where: [{ key: 'action', equals: 'unsubscribe' }] },
            points: -20,
            dailyCap: 20,
            windowDays: 90,
            reason: '近{days}天退订消息或删除了顾问企业微信',
          },
          {
            id: 'no_answer',
            label: '电话未接通',
            filter: { types: ['call'], where: [{ key: 'direction', equals: 'outbound' }, { key: 'connected', equals: false }] },
            points: -2,
            dailyCap: 2,
            windowDays: 14,
            reason: '近{days}天电话未接通{count}次',
          },
        ],
      },
    ],
  },
  grades: { H: 80, A: 65, B: 45, C: 25 },
};
