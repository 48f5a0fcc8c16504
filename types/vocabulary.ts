/**
 * The product's Chinese words, written once. Plain data shared by the app (labels, chips,
 * filters) and the functions (timeline titles, reasons, merge notes), so a consultant and a
 * manager never read two words for one thing. `test/house/vocabulary.test.ts` fails when a
 * label is written twice here or a map of labels appears elsewhere in the code.
 *
 * Add a word here, import it where it shows; styling (tones, glyphs) stays with the app.
 */
import type { IntentGrade, LifecycleStage, ModelLine, TouchpointType } from './catalog';
import type { BodyType, EnergyType } from './car-models';
import type { ConsentPurpose, FollowUpKind, MaterialKind, Role, SendChannel } from './model';
import type { ReactionActionKind, ReactionConditionKind, StrategyChannel } from './strategy';

/** 线索 / 潜客 / 保客. */
export const STAGE_LABELS: Readonly<Record<LifecycleStage, string>> = { lead: '线索', prospect: '潜客', owner: '保客' };

/** The dealer's intent grades as they are said: H级 … C级. */
export const GRADE_LABELS: Readonly<Record<IntentGrade, string>> = { H: 'H级', A: 'A级', B: 'B级', C: 'C级' };
/** What each grade promises: the expected purchase window. */
export const GRADE_MEANINGS: Readonly<Record<IntentGrade, string>> = { H: '7天内购车', A: '15天内购车', B: '30天内购车', C: '3个月内购车' };
/** A customer nobody has graded yet (and the score did not suggest one). */
export const UNGRADED_LABEL = '未定级';

/** The grade choices every filter and picker offers, in order, with the ungraded choice last. */
export const GRADE_FILTER_OPTIONS: readonly { id: IntentGrade | 'none'; label: string }[] = [
  ...(['H', 'A', 'B', 'C'] as const).map((g) => ({ id: g, label: GRADE_LABELS[g] })),
  { id: 'none', label: UNGRADED_LABEL },
];

/** Touchpoints as the timeline, the scoring reasons and the filters name them. */
export const TOUCHPOINT_LABELS: Readonly<Record<TouchpointType, string>> = {
  ad_click: '广告点击',
  live_stream: '观看直播',
  content_view: '浏览内容',
  share: '分享',
  form_submit: '留资',
  store_visit: '到店',
  test_drive: '试驾',
  quote: '报价',
  order: '下订',
  delivery: '交车',
  service_visit: '售后到店',
  wecom_chat: '企微沟通',
  call: '电话',
};

/**
 * Follow-up kinds as the consultant records them. Where a kind records a touchpoint it uses the
 * touchpoint's word (a follow-up of kind `order` is the 下订 of the timeline).
 */
export const FOLLOW_UP_KIND_LABELS: Readonly<Record<FollowUpKind, string>> = {
  call: TOUCHPOINT_LABELS.call,
  visit: TOUCHPOINT_LABELS.store_visit,
  test_drive: TOUCHPOINT_LABELS.test_drive,
  quote: TOUCHPOINT_LABELS.quote,
  order: TOUCHPOINT_LABELS.order,
  lost: '战败',
  note: '备注',
};

export const ROLE_LABELS: Readonly<Record<Role, string>> = { consultant: '销售顾问', manager: '店长', customer: '客户' };

export const GENDER_LABELS = { male: '男', female: '女', unknown: '' } as const;

export const MODEL_LINE_LABELS: Readonly<Record<ModelLine, string>> = { SUV: 'SUV', sedan: '轿车', MPV: 'MPV', NEV: '新能源' };

/** Body types (an NEV line can be an SUV body: audiences say which they mean). */
export const BODY_TYPE_LABELS: Readonly<Record<BodyType, string>> = { suv: MODEL_LINE_LABELS.SUV, sedan: MODEL_LINE_LABELS.sedan, mpv: MODEL_LINE_LABELS.MPV, hatchback: '两厢车' };

export const ENERGY_LABELS: Readonly<Record<EnergyType, string>> = { ice: '燃油', bev: '纯电', erev: '增程' };

/** What a customer consented to (PIPL: one purpose each). */
export const CONSENT_PURPOSE_LABELS: Readonly<Record<ConsentPurpose, string>> = {
  contact: '接收顾问联系',
  tracking: '浏览行为分析',
  oem_sharing: '与主机厂共享',
};

/** What a material is, as the library (素材库) and the 发送 picker name it. */
export const MATERIAL_KIND_LABELS: Readonly<Record<MaterialKind, string>> = {
  invitation: '活动邀请',
  article: '文章',
  poster: '海报',
  video: '视频',
  live: '直播回放',
  miniprogram: '小程序卡片',
  script: '话术',
};

/** How a send reached the customer. */
export const SEND_CHANNEL_LABELS: Readonly<Record<SendChannel, string>> = {
  wecom_chat: '企业微信聊天',
  wecom_share: '企业微信',
  wecom_mass: '企业微信群发',
  copy: '复制链接',
  subscribe: '小程序订阅消息',
};

/** How a strategy asks consultants to send. */
export const STRATEGY_CHANNEL_LABELS: Readonly<Record<StrategyChannel, string>> = {
  wecom_chat: '顾问一对一发送',
  wecom_mass: SEND_CHANNEL_LABELS.wecom_mass,
};

/** Reaction conditions, as the strategy builder names them ({h} hours, {s} seconds). */
export const REACTION_CONDITION_LABELS: Readonly<Record<ReactionConditionKind, string>> = {
  opened: '已打开邀请',
  not_opened: '{h}小时内未打开',
  dwell: '停留≥{s}秒',
  registered: '已报名',
  not_registered: '{h}小时内未报名',
  checked_in: '已签到到店',
  test_drove: `已${TOUCHPOINT_LABELS.test_drive}`,
  ordered: `已${TOUCHPOINT_LABELS.order}`,
};

/** Reaction actions ({h} hours, {n} times). */
export const REACTION_ACTION_LABELS: Readonly<Record<ReactionActionKind, string>> = {
  call: '生成电话回访任务（{h}小时内）',
  reinvite: '再次邀约（最多{n}次）',
  tag: '打标签',
  move: '转入其他策略',
  notify: '通知店长',
};

/** The steps of a strategy's funnel, in order. */
export const FUNNEL_STEP_LABELS = { invited: '已邀约', delivered: '已发送', opened: '已打开', registered: REACTION_CONDITION_LABELS.registered, checkedIn: '已到店' } as const;

/** The forms a `form_submit` event names (`properties.form`). */
export const FORM_LABELS = {
  test_drive_booking: '预约试驾',
  price_inquiry: '询底价',
  brochure: '获取车型手册',
  activity_signup: '活动报名',
  survey: '问卷',
  trade_in: '置换评估',
} as const;

/**
 * Event properties a manager can filter a behaviour condition on (人群), by `properties` key.
 * Ids (material, activity, order, VIN) and the model (its own chooser) are not offered, nor
 * whether a call connected (the follow-ups' call outcome already says it in words).
 */
export const EVENT_PROPERTY_LABELS = {
  form: '表单类型',
  formName: '表单名称',
  campaign: '投放活动',
  liveTitle: '直播标题',
  watchSeconds: '观看秒数',
  interacted: '直播中互动',
  dwellSeconds: '停留秒数',
  target: '分享去向',
  durationMinutes: '时长分钟数',
  visitNo: '第几次到店',
  trim: '配置',
  listPrice: '指导价',
  price: '成交价',
  priceCut: '优惠金额',
  deposit: '定金',
  service: '服务项目',
  mileageKm: '里程公里数',
  amount: '金额',
  direction: '沟通方向',
  messages: '消息条数',
  durationSeconds: '通话秒数',
} as const;

/** Values of the listed event properties (share `target`, chat and call `direction`). */
export const EVENT_PROPERTY_VALUE_LABELS = {
  friend: '好友',
  moments: '朋友圈',
  group: '群聊',
  in: '客户发来',
  out: '顾问发出',
  inbound: '呼入',
  outbound: '呼出',
} as const;
