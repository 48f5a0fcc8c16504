/**
 * The API contract between the app and the cloud functions, written once.
 * A function is called with `{ action, params }`; it replies with an `ApiReply`.
 * Params come from the zod schemas in `schemas.ts` (type-only import: no zod in the app bundle).
 */
import type { z } from 'zod';
import type { Schemas } from './schemas';
import type { AudienceRule } from './audience';
import type {
  AudienceMode,
  AudienceStatus,
  IntentGrade,
  LifecycleStage,
  MaterialKind,
  ModelLine,
  Role,
  SendChannel,
  TaskKind,
  ScoringModel,
  TouchpointType,
  TagAssignment,
  StrategyStatus,
} from './model';
import type { ReactionRule, SendWindow, StrategyChannel } from './strategy';

export type { Role, LifecycleStage, IntentGrade, TouchpointType, ModelLine, MaterialKind, TaskKind, SendChannel, AudienceMode, AudienceStatus, StrategyStatus };
export type * from './strategy';

/** A grade to filter leads by; `none` is the leads nobody graded yet. */
export type GradeFilter = IntentGrade | 'none';

// ---------- views: what the app receives ----------

export interface Me {
  id: string;
  name: string;
  role: Role;
  storeId?: string;
  storeName?: string;
}

export interface SessionGrant {
  token: string;
  expiresAt: number;
  me: Me;
}

/** Every session of this staff member, on every device, is no longer accepted. */
export interface SignedOutEverywhere {
  staffId: string;
}

export interface DemoPerson {
  id: string;
  name: string;
  role: Role;
  /** Chinese job title shown on the sign-in page, e.g. 销售顾问. */
  title: string;
}

export interface DemoStore {
  id: string;
  name: string;
  people: DemoPerson[];
}

export interface JsapiSignature {
  timestamp: number;
  nonceStr: string;
  signature: string;
}

export interface JsapiConfig {
  corpId: string;
  agentId: string;
  config: JsapiSignature;
  agentConfig: JsapiSignature;
}

export interface VehicleView {
  modelId: string;
  /** Chinese model name, e.g. 星途揽月. */
  name: string;
  line: ModelLine;
}

export interface TouchView {
  type: TouchpointType;
  at: number;
  summary: string;
}

export type SlaState = 'pending' | 'due_soon' | 'overdue' | 'met' | 'late';

export interface LeadSummary {
  id: string;
  name: string;
  stage: LifecycleStage;
  grade?: IntentGrade;
  /** Whether the grade is the consultant's or the score's suggestion. */
  gradeSource?: 'consultant' | 'score';
  /** Lead score 0-100 (fit + engagement). */
  score?: number;
  /** The score's first reason in Chinese, e.g. 近30天浏览SUV内容5次，累计停留6分钟. */
  reason?: string;
  phoneMasked: string;
  vehicleOfInterest?: VehicleView;
  lastTouch?: TouchView;
  lastActivityAt: number;
  /** The consultant who owns the lead; shown to managers. */
  owner?: { id: string; name: string };
  /** First-contact SLA while the lead awaits its first contact (pending, due soon, overdue). */
  sla?: { state: SlaState; label: string };
  /** Set when the lead came back to the pool for lack of follow-up, e.g. 7天未跟进，自动回收. */
  recycledLabel?: string;
  /** An OEM lead: the campaign it came from, e.g. 春季SUV试驾季 (its SLA is the OEM's promise). */
  campaign?: string;
}

export interface FilterOption {
  id: string;
  /** Chinese, e.g. 关注SUV, 星途揽月, 汽车之家. */
  name: string;
  /** How many leads in the caller's scope have it. */
  count: number;
}

export interface LeadFilterOptions {
  tags: FilterOption[];
  models: FilterOption[];
  channels: FilterOption[];
}

export interface TeamMember {
  id: string;
  name: string;
  modelLines: ModelLine[];
  capacity: number;
  activeLeads: number;
  receivedToday: number;
  /** Leads past their first-contact SLA. */
  overdue: number;
}

export interface ReassignResult {
  moved: string[];
  refused: { customerId: string; message: string }[];
  /** Chinese summary shown as a toast, e.g. 已分配 12 条给 张伟，2 条未分配. */
  message: string;
}

export interface ScoreView {
  total: number;
  fit: number;
  engagement: number;
  /** Top positive reasons, Chinese. */
  reasons: string[];
  /** Negative signals, Chinese. */
  penalties: string[];
  at: number;
  modelVersion: number;
}

export interface GradeInfoView {
  grade?: IntentGrade;
  source?: 'consultant' | 'score';
  /** e.g. H级（7天内购车）. */
  label: string;
  /** The score's suggestion, shown beside the consultant's own grade. */
  suggested?: IntentGrade;
  /** Who set the consultant's grade and when. */
  setBy?: { name: string; at: number };
  /** The consultant's grade is past its horizon: ask them to look again. */
  stale?: boolean;
}

export interface FollowUpView {
  id: string;
  kind: 'call' | 'visit' | 'test_drive' | 'quote' | 'order' | 'lost' | 'note';
  /** Chinese one-liner, e.g. 电话已接通 · 通话3分钟, 报价 星途揽月 18.58万（优惠1.2万）. */
  title: string;
  note: string;
  at: number;
  staffName: string;
}

export interface MergeView {
  id: string;
  survivor: { id: string; name: string };
  merged: { id: string; name: string }[];
  /** Manager's name, or 系统自动合并. */
  actorName: string;
  reason: string;
  at: number;
  /** Identifier kinds that tied them, in Chinese, e.g. ['手机号', '企微外部联系人']. */
  identifiers: string[];
  undone?: { at: number; actorName: string; reason: string };
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface TagView {
  tagId: string;
  name: string;
  /** Names from the level-1 ancestor down to the leaf, e.g. ['购车意向', '关注车型', '关注SUV']. */
  pathNames: string[];
  subject: 'person' | 'vehicle';
  source: TagAssignment['source'];
  assignedAt: number;
}

export interface StoreVisitView {
  storeId: string;
  storeName: string;
  count: number;
  lastAt: number;
}

export interface CustomerProfile {
  id: string;
  name: string;
  gender: 'male' | 'female' | 'unknown';
  city: string;
  phoneMasked: string;
  /** The full phone number, only for the consultant who owns the customer. */
  phone?: string;
  stage: LifecycleStage;
  grade?: IntentGrade;
  sourceChannel: string;
  sourceChannelName: string;
  owner?: { id: string; name: string };
  storeId: string;
  storeName: string;
  tags: TagView[];
  vehiclesOfInterest: VehicleView[];
  vehiclesOwned: (VehicleView & { purchasedAt: number })[];
  storesVisited: StoreVisitView[];
  createdAt: number;
  lastActivityAt: number;
  /** Whether the customer has a WeCom relationship (external contact) with the store. */
  hasWecom: boolean;
  score?: ScoreView;
  gradeInfo: GradeInfoView;
  /** First-contact SLA while awaiting first contact. */
  sla?: { state: SlaState; label: string };
  /** Customers merged into this one (their history shows here too). */
  mergedCount: number;
  /** How this customer stands with the OEM sync. */
  sync: SyncFreshness;
  /** Other stores of the group the customer visited, as the OEM reports them (only with consent to sharing). */
  otherStores: StoreVisitView[];
  /** The OEM campaign of an OEM lead. */
  campaign?: string;
  /** For change checks: bumps on every write to the customer. */
  updatedAt: number;
}

/**
 * The OEM sync as the profile shows it. The app writes the lines: 已与主机厂同步 · 3分钟前,
 * 2条记录待上传, 上次同步失败：主机厂无响应，将自动重试.
 */
export interface SyncFreshness {
  /** The customer consented to sharing with the OEM (only then does anything go upstream). */
  shared: boolean;
  /** Last time the OEM and this customer's record exchanged anything. */
  lastSyncedAt?: number;
  /** Store-side records waiting to go to the OEM. */
  pendingUpstream: number;
  /** Records the OEM kept refusing (a manager can send them again). */
  failedUpstream: number;
  /** Chinese reason of the last failed attempt still unresolved, e.g. 主机厂无响应. */
  lastError?: string;
  /** Whether the sync retries by itself (false: it waits for a manager's replay). */
  retrying: boolean;
}

/** The manager's view of the store's sync with the OEM. */
export interface OemSyncStatus {
  /** Whether the OEM connection is configured in this environment. */
  configured: boolean;
  /** Last time OEM changes were pulled or pushed in without error. */
  lastPulledAt?: number;
  /** The last pull's failure, Chinese, while it is unresolved. */
  pullError?: string;
  /** Entries of this store waiting to go up (due now or backing off). */
  queued: number;
  /** Of those, entries that failed at least once and wait to retry. */
  retrying: number;
  /** Entries the OEM refused or that failed too often: they wait for a replay. */
  dead: number;
  /** Entries not sent because the customer withdrew consent to sharing. */
  withheld: number;
  /** Sent to the OEM since the start of today (China time). */
  sentToday: number;
  lastUploadAt?: number;
  uploadError?: string;
}

export interface DeadLetterView {
  id: string;
  customerId: string;
  customerName: string;
  /** Chinese, e.g. 跟进记录：试驾 揽岳, 撤回共享授权. */
  what: string;
  attempts: number;
  /** Chinese reason, e.g. 主机厂拒收：缺少车型. */
  error: string;
  at: number;
}

export interface ReplayResult {
  /** Entries queued again. */
  queued: number;
}

export interface ConsentResult {
  purpose: 'contact' | 'tracking' | 'oem_sharing';
  granted: boolean;
  at: number;
  /** False when it was already withdrawn. */
  changed: boolean;
}

/**
 * The customers of the WeCom customer group (客户群) the sidebar was opened from, as far as the
 * caller may see them. Other members are counted, never identified.
 */
export interface GroupChatCustomers {
  /** The group's name in WeCom; '' when nobody named it. */
  name: string;
  /** The caller's customers in the group (a manager's: the store's), best lead first. */
  customers: LeadSummary[];
  /** External members (customers' WeChat accounts) that are not among `customers`. */
  othersCount: number;
}

export interface CustomerPulse {
  updatedAt: number;
  lastActivityAt: number;
}

export interface FollowUpResult {
  followUp: FollowUpView;
  /** False when this messageId was already recorded (a retried submit). */
  created: boolean;
}

/** customers.firstScreen: what the sidebar shows first, of the live customer `customerId`. */
export interface FirstScreen {
  customerId: string;
  profile: CustomerProfile;
  timeline: Page<TimelineItem>;
  followUps: Page<FollowUpView>;
}

export interface TimelineItem {
  id: string;
  type: TouchpointType;
  at: number;
  /** Chinese one-liner, e.g. 浏览《揽月 七座空间实测》，停留 3 分 20 秒. */
  title: string;
  /** Chinese name of the channel or place, e.g. 汽车之家, 抖音直播, 门店. */
  sourceName: string;
  /** A content view of a few seconds: a glance, which the timeline folds together with its neighbours. */
  brief?: true;
}

export interface ActivityView {
  id: string;
  title: string;
  description: string;
  storeName: string;
  address: string;
  startAt: number;
  endAt: number;
  perks: string[];
  capacity: number;
  /** Places taken now (capacity - registered places are left). */
  registered: number;
  /** Where the store is, for the map. */
  location?: { lng: number; lat: number };
  /** The store's phone, for the call button. */
  storePhone: string;
  modelLine?: ModelLine;
}

/** A customer's place at a store event, as the customer sees it (我的报名). */
export interface MyRegistration {
  activityId: string;
  title: string;
  storeName: string;
  address: string;
  startAt: number;
  endAt: number;
  status: 'registered' | 'cancelled' | 'checked_in';
  at: number;
  cancelledAt?: number;
  /** The phone the store will call, masked (138****5678). */
  phoneMasked?: string;
}

/** Where the customer stands on being tracked (浏览记录), per the consent ledger. */
export type TrackingConsent = 'granted' | 'withdrawn' | 'unasked';

/** What opening a tracked invitation tells the page. */
export interface InvitationOpen {
  activity: ActivityView;
  /** The consultant who sent it, e.g. 张伟. */
  consultantName: string;
  /** recipient: the person the link was sent to; forwarded: someone it was passed on to; staff: a preview. */
  viewer: 'recipient' | 'forwarded' | 'staff';
  /** The viewer's consent to tracking; `unasked` also for someone we cannot ask (not a known customer). */
  tracking: TrackingConsent;
  /** Whether the viewer can be asked for consent (a known customer: the recipient, or a customer forwarded it). */
  canConsent: boolean;
  /** Whether this open was recorded (only with consent to tracking). */
  tracked: boolean;
  /** The viewer's place at this event, if they have one. */
  registration?: MyRegistration;
  /** Known contact details of the viewer, to prefill the form: the name and the masked phone. */
  known?: { name: string; phoneMasked?: string };
}

export interface TrackAnswer {
  /** False when nothing was recorded (no consent, withdrawn, a forwarded viewer we do not know). */
  tracked: boolean;
}

export type RegisterResult =
  | { registered: true; registration: MyRegistration; placesLeft: number }
  | { registered: false; reason: 'full' | 'ended' | 'unknown_person'; message: string; placesLeft: number };

export interface MyRegistrations {
  items: MyRegistration[];
  /** Whether the person is known (registrations and consent can be shown). */
  known: boolean;
  tracking: TrackingConsent;
}

/** What `track.ingest` did with each event of the batch. */
export interface TrackResult {
  /** messageIds stored by this call. */
  accepted: string[];
  /** messageIds already stored (a retry) or repeated within the batch: nothing was written. */
  duplicates: string[];
  /** Events not stored, by their index in the batch. */
  rejected: { index: number; messageId?: string; issues: FieldIssue[] }[];
}

/**
 * A claim from the pool either succeeds or is refused for a reason the consultant should read
 * (someone else was faster, daily cap reached...): a refusal is an answer, not an error.
 */
export type ClaimResult =
  | { claimed: true; lead: LeadSummary }
  | {
      claimed: false;
      code: 'ALREADY_OWNED' | 'OTHER_STORE' | 'NOT_CONSULTANT' | 'INACTIVE' | 'AT_CAPACITY' | 'DAILY_CAP' | 'COOLDOWN';
      /** Chinese, shown as is, e.g. 手慢了，这条线索已被其他顾问领取. */
      message: string;
    };

/**
 * A long job as the manager's page follows it (a store's rescore after a model change):
 * 重新评分中 12,000/20,000, then 已完成.
 */
export interface JobProgress {
  status: 'queued' | 'running' | 'done' | 'failed';
  processed: number;
  /** Customers in scope (counted when the run started; a finished run's is what it walked). */
  total: number;
  /** A rescore: the model version it applies. */
  modelVersion?: number;
  startedAt: number;
  finishedAt?: number;
  /** Slices that failed in a row; they are retried automatically until the job fails. */
  failures: number;
}

// ---------- the MA loop: tasks, materials, sends ----------

export interface TaskView {
  id: string;
  kind: TaskKind;
  /** Chinese, e.g. 首次联系, 邀约参加SUV试驾周末, 回访：确认周六试驾. */
  title: string;
  note?: string;
  dueAt: number;
  /** Chinese, e.g. 已超时2小时, 今天 15:00, 明天 10:00, 3月20日 09:30. */
  dueLabel: string;
  status: 'open' | 'skipped';
  customer: { id: string; name: string; phoneMasked: string };
  strategy?: { id: string; name: string };
  materialId?: string;
  /** Why a send for it was refused, Chinese (frequency cap, no consent). */
  skipReason?: string;
  /** A first contact: it completes by contacting the customer, not by a tap. */
  derived?: true;
  /** When the reminder went to the consultant's WeCom (已提醒). */
  remindedAt?: number;
}

export interface TaskSection {
  key: 'overdue' | 'today' | 'tomorrow' | 'later' | 'skipped';
  /** 逾期 / 今天 / 明天 / 之后 / 未发送 */
  title: string;
  items: TaskView[];
}

export interface TaskStrategyGroup {
  strategyId?: string;
  /** The strategy's name, or 日常跟进 for the consultant's own work. */
  name: string;
  items: TaskView[];
}

export interface TaskInbox {
  byDue: TaskSection[];
  byStrategy: TaskStrategyGroup[];
  open: number;
  overdue: number;
  doneToday: number;
}

export interface MaterialActivityView {
  id: string;
  title: string;
  startAt: number;
  endAt: number;
  address: string;
  capacity: number;
  /** Places taken so far. */
  registered: number;
  perks: string[];
  modelLine?: ModelLine;
}

export interface MaterialView {
  id: string;
  kind: MaterialKind;
  title: string;
  summary: string;
  /** A script's text. */
  body?: string;
  category: string;
  modelName?: string;
  coverUrl?: string;
  /** An invitation's event: store, time, capacity, model and benefits. */
  activity?: MaterialActivityView;
  /** The store's own (its manager may edit it), else the brand's. */
  storeOwned: boolean;
  archived: boolean;
  updatedAt: number;
}

/** What goes into WeCom (or the clipboard): a card with the tracked link, or a script's text. */
export interface SendMessage {
  kind: MaterialKind;
  title: string;
  description: string;
  imageUrl?: string;
  /** The tracked link's page path (the mini-program card's page; on H5 it follows `#/`). */
  path: string;
  /** A script's text, sent as it is. */
  text?: string;
}

export type SendRefusalCode = 'no_consent' | 'capped' | 'no_wecom';

/** A send is done, or refused for a reason the consultant reads (an answer, not an error). */
export type SendResult =
  | {
      sent: true;
      sendId: string;
      repeated: boolean;
      marketing: boolean;
      message: SendMessage;
      /** A `wecom_share` send: the customer's WeCom contact, for `shareToExternalContact`. */
      externalUserId?: string;
    }
  | { sent: false; code: SendRefusalCode; reason: string };

export interface BatchSendResult {
  sent: { customerId: string; sendId: string; taskId?: string }[];
  skipped: { customerId: string; taskId?: string; reason: string }[];
  /** WeCom mass-send tasks waiting for the consultant's confirmation in WeCom. */
  massTasks: number;
  /** Chinese summary, e.g. 已为 8 位客户创建企业微信群发，2 位未发送. */
  message: string;
}

/** The store's marketing frequency cap (at most `touches` marketing sends per customer in `days` days). */
export interface FrequencyCapView {
  touches: number;
  days: number;
  /** No manager set one: the default applies. */
  isDefault: boolean;
}

export interface SendView {
  id: string;
  materialTitle: string;
  materialKind: MaterialKind;
  channel: SendChannel;
  at: number;
  consultantName: string;
  marketing: boolean;
  opens: number;
  dwellSeconds: number;
  registeredAt?: number;
}

// ---------- audiences (人群圈选) ----------

/** A member as the audience editor shows them. */
export interface AudienceMemberView {
  customerId: string;
  name: string;
  /** 线索 / 潜客 / 保客. */
  stageLabel: string;
  grade?: IntentGrade;
  /** The owning consultant's name; absent: in the pool (公海). */
  ownerName?: string;
}

/** A behaviour condition the store does not count yet (counted once the audience is saved). */
export interface MissingCounterView {
  counterId: string;
  /** The condition in Chinese, e.g. 近90天分享揽岳相关内容≥3次. */
  description: string;
}

export interface AudiencePreview {
  /** null when a condition needs a counter the store does not keep yet (保存后统计). */
  count: number | null;
  /** Customers of the store the count is out of. */
  total: number;
  sample: AudienceMemberView[];
  description: string;
  missing: MissingCounterView[];
  countedAt: number;
}

export interface AudienceView {
  id: string;
  name: string;
  rule: AudienceRule;
  mode: AudienceMode;
  status: AudienceStatus;
  version: number;
  description: string;
  /** Members now (a snapshot: frozen at `snapshotAt`); null while its counters are backfilled. */
  count: number | null;
  countedAt: number;
  snapshotAt?: number;
  /** The backfill of the counters this audience added, while it runs. */
  backfill?: JobProgress;
  updatedAt: number;
  updatedByName?: string;
}

export interface AudienceDetail extends AudienceView {
  sample: AudienceMemberView[];
}


// ---------- strategies (营销策略), progress, funnels, the manager's home ----------

export interface StrategyView {
  id: string;
  name: string;
  audienceId: string;
  /** The audience's name and member count when last counted, when it still exists. */
  audience?: { name: string; count: number };
  materialId: string;
  material?: { title: string; kind: MaterialKind };
  channel: StrategyChannel;
  window: SendWindow;
  rules: ReactionRule[];
  holdoutPercent: number;
  status: StrategyStatus;
  version: number;
  updatedAt: number;
  issuedAt?: number;
  issued?: { members: number; holdout: number; tasks: number; allocated: number; unallocated: number };
  /** The issue run while it is going (or after it failed): customers walked of the audience's. */
  issuing?: JobProgress;
  /** The rules in Chinese, one line per node, indented by depth (二级 with a leading 　). */
  ruleLines: string[];
}

export interface StrategySummary {
  id: string;
  name: string;
  status: StrategyStatus;
  updatedAt: number;
  issuedAt?: number;
  /** Members with a task (not held out). */
  invited: number;
}

export interface IssueResult {
  strategy: StrategyView;
  /** Customers in the audience now. */
  audience: number;
  /** Customers new to the strategy in this issue, the held-out among them, the tasks made. */
  members: number;
  holdout: number;
  tasks: number;
  allocated: number;
  unallocated: number;
  /** Chinese summary, e.g. 已向 5 位顾问下发 120 个任务，12 位客户为对照组. */
  message: string;
  /** Present while the issue goes on after this call (a large audience): its progress so far. */
  job?: JobProgress;
}

export interface FunnelStepView {
  key: 'invited' | 'delivered' | 'opened' | 'registered' | 'checkedIn';
  /** 已邀约 / 已发送 / 已打开 / 已报名 / 已到店 */
  label: string;
  count: number;
  /** Share of the step before, 0-100 (whole numbers). */
  rateFromPrevious: number;
  /** Share of the invited, 0-100. */
  rateFromInvited: number;
}

export interface FunnelView {
  /** What the funnel is of: the strategy, a consultant's name, a channel's name. */
  label: string;
  steps: FunnelStepView[];
}

export interface StrategyProgress {
  strategy: StrategyView;
  /** Live progress of the event per consultant (the same steps), busiest first. */
  byConsultant: FunnelView[];
  total: FunnelView;
  byChannel: FunnelView[];
  /** The holdout's baseline: came to the store, test drove or ordered, in 0-100. */
  holdout?: { members: number; treatedRate: number; holdoutRate: number; upliftPoints: number };
  /** Average seconds stayed on the invitation among those who opened it. */
  averageDwellSeconds: number;
  /** When these numbers were read. */
  at: number;
}

export interface NoticeView {
  id: string;
  text: string;
  at: number;
  read: boolean;
}

export interface StoreKpis {
  /** New leads of the store created today (China day). */
  newLeadsToday: number;
  /** The store's leads past their first-contact SLA without a contact. */
  overdueFirstContacts: number;
  /** Of the store's owned leads and prospects, the share followed up in the last 7 days, 0-100. */
  followUpRate: number;
  /** The counts behind the rate. */
  followedUp: number;
  activeLeads: number;
}

export interface ManagerHome {
  kpis: StoreKpis;
  notices: NoticeView[];
}

// ---------- the contract ----------

type In<S> = S extends z.ZodTypeAny ? z.input<S> : never;

interface Contract {
  auth: {
    me: { result: Me };
    demoPeople: { result: DemoStore[] };
    demoSignIn: { result: SessionGrant };
    wecomSignIn: { result: SessionGrant };
    jsapiConfig: { result: JsapiConfig };
    signOutEverywhere: { result: SignedOutEverywhere };
  };
  leads: {
    list: { result: Page<LeadSummary> };
    pool: { result: Page<LeadSummary> };
    claim: { result: ClaimResult };
    filters: { result: LeadFilterOptions };
    team: { result: TeamMember[] };
    reassign: { result: ReassignResult };
  };
  customers: {
    profile: { result: CustomerProfile };
    timeline: { result: Page<TimelineItem> };
    byExternalUserId: { result: { customerId: string } };
    firstScreen: { result: FirstScreen };
    byExternalChat: { result: GroupChatCustomers };
    pulse: { result: CustomerPulse };
    followUps: { result: Page<FollowUpView> };
    followUp: { result: FollowUpResult };
    setGrade: { result: GradeInfoView };
    merges: { result: Page<MergeView> };
    merge: { result: MergeView };
    undoMerge: { result: MergeView };
    withdrawConsent: { result: ConsentResult };
  };
  scoring: {
    model: { result: { model: ScoringModel; isDefault: boolean } };
    /** The store's rescore starts at once and runs in the background; follow it with `job`. */
    setModel: { result: { model: ScoringModel; job: JobProgress } };
    /** The store's latest rescore, or null when the model was never changed. */
    job: { result: JobProgress | null };
  };
  /** Runs long jobs in slices; only other functions and its timer call it (no app actions). */
  jobs: Record<never, never>;
  track: {
    ingest: { result: TrackResult };
  };
  oemSync: {
    status: { result: OemSyncStatus };
    deadLetters: { result: Page<DeadLetterView> };
    replay: { result: ReplayResult };
  };
  strategies: {
    list: { result: StrategySummary[] };
    get: { result: StrategyView };
    save: { result: StrategyView };
    issue: { result: IssueResult };
    progress: { result: StrategyProgress };
    home: { result: ManagerHome };
  };
  activities: {
    get: { result: ActivityView };
    upcoming: { result: ActivityView[] };
    open: { result: InvitationOpen };
    beat: { result: TrackAnswer };
    share: { result: TrackAnswer };
    consent: { result: ConsentResult };
    register: { result: RegisterResult };
    cancel: { result: MyRegistration };
    mine: { result: MyRegistrations };
  };
  tasks: {
    inbox: { result: TaskInbox };
    complete: { result: { taskId: string; done: boolean } };
    schedule: { result: TaskView };
  };
  audiences: {
    preview: { result: AudiencePreview };
    save: { result: AudienceView };
    list: { result: AudienceView[] };
    get: { result: AudienceDetail };
    archive: { result: AudienceView };
  };
  materials: {
    list: { result: MaterialView[] };
    save: { result: MaterialView };
    archive: { result: MaterialView };
  };
  sends: {
    send: { result: SendResult };
    batch: { result: BatchSendResult };
    ofCustomer: { result: SendView[] };
    cap: { result: FrequencyCapView };
    setCap: { result: FrequencyCapView };
  };
}

export type FunctionName = keyof Contract & keyof Schemas;
export type ActionName<F extends FunctionName> = keyof Contract[F] & keyof Schemas[F] & string;
/** What the caller passes (defaults may be omitted). */
export type Params<F extends FunctionName, A extends ActionName<F>> = In<Schemas[F][A]>;
/** What the handler receives after validation (defaults filled). */
export type ParsedParams<F extends FunctionName, A extends ActionName<F>> =
  Schemas[F][A] extends z.ZodTypeAny ? z.output<Schemas[F][A]> : never;
export type Result<F extends FunctionName, A extends ActionName<F>> = Contract[F][A] extends {
  result: infer R;
}
  ? R
  : never;

export interface CallData<F extends FunctionName = FunctionName> {
  action: ActionName<F>;
  params?: unknown;
}

// ---------- replies and errors ----------

export const ErrorCodes = {
  INVALID_INPUT: 400,
  UNKNOWN_ACTION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  NOT_AVAILABLE: 404,
  /** HTTP access with a method other than POST (the reply says `Allow: POST`). */
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  /** The request body is over the function's limit. */
  PAYLOAD_TOO_LARGE: 413,
  /** Too many attempts (sign-in); `retryAfterSeconds` says when to try again. */
  RATE_LIMITED: 429,
  UPSTREAM: 502,
  INTERNAL: 500,
  /** The function is misconfigured (e.g. SIDEKICK_SESSION_SECRET); the message names the variable. */
  CONFIG: 500,
} as const;
export type ErrorCode = keyof typeof ErrorCodes;

/**
 * Refusals the app explains in their own words (a code alone would say only "no permission"),
 * each with the code it is sent under. The app maps the reason to its Chinese message.
 */
export const ErrorReasons = {
  /** WeCom sign-in: the person is not a member of the corp (WeCom gave no userid for the code). */
  NOT_CORP_MEMBER: 'FORBIDDEN',
  /** WeCom sign-in: a corp member without an active Sidekick consultant or manager account. */
  NOT_STAFF: 'FORBIDDEN',
  /** The caller is not a member of the WeCom group chat they asked about. */
  NOT_IN_CHAT: 'FORBIDDEN',
  /** WeCom knows no customer group with this chat id (a wrong id, a dissolved or internal group). */
  CHAT_NOT_FOUND: 'NOT_FOUND',
  /** A tracked link that is not ours, was changed, or names a send that no longer exists. */
  LINK_INVALID: 'UNAUTHENTICATED',
  /** A genuine link used for something it was not sent for (another activity, another store's). */
  LINK_MISMATCH: 'FORBIDDEN',
  /** A customer's call with nothing the platform vouches for (no OPENID, no device token on H5). */
  NO_VIEWER: 'UNAUTHENTICATED',
  /** The phone-number code of the mini-program's button was refused by the platform (used, expired). */
  PHONE_CODE_INVALID: 'INVALID_INPUT',
} as const satisfies Record<string, ErrorCode>;
export type ErrorReason = keyof typeof ErrorReasons;

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `limit` or `types.0`. */
  field: string;
  message: string;
}

export interface ApiErrorBody {
  code: ErrorCode;
  /** English, for developers and logs: names the field and the reason. */
  message: string;
  issues?: FieldIssue[];
  /** Set for the refusals listed in `ErrorReasons`. */
  reason?: ErrorReason;
  /** With RATE_LIMITED: seconds until the limit lets the caller try again. */
  retryAfterSeconds?: number;
}

export type ApiReply<T> = { ok: true; data: T } | { ok: false; error: ApiErrorBody };
