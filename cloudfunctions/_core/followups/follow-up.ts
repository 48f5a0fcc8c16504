/**
 * A consultant's follow-up as an event and back. Each follow-up is stored as one event
 * (call -> call, visit -> store_visit, test_drive, quote, order, lost -> call with outcome
 * 'lost', note -> an outgoing wecom_chat annotation) whose properties carry the follow-up's
 * kind, facts and note, so the follow-up document can always be rebuilt from the event: the
 * pipeline writes both in one transaction, and the repair job re-creates both after a crash.
 */
import type { FollowUpDoc, FollowUpKind, TouchpointType, EventDoc } from '../../../types/model';
import type { FollowUpView } from '../../../types/api';
import { FOLLOW_UP_KIND_LABELS } from '../../../types/vocabulary';
import { modelById } from '../catalog/models';
import { formatWan } from '../catalog/touchpoints';

type Scalar = string | number | boolean | null;
type Facts = Record<string, Scalar>;

export type LostReason = 'bought_competitor' | 'bought_elsewhere' | 'price' | 'postponed' | 'no_budget' | 'unreachable' | 'other';
export type CallOutcome = 'connected' | 'no_answer' | 'busy' | 'wrong_number';

/** What the consultant submitted (the parsed `followUpInput`), without the envelope fields. */
export type FollowUpFacts =
  | { kind: 'call'; outcome: CallOutcome; durationSeconds?: number }
  | { kind: 'visit'; durationMinutes?: number }
  | { kind: 'test_drive'; modelId: string; trim?: string; durationMinutes?: number }
  | { kind: 'quote'; modelId: string; trim?: string; price: number; priceCut: number }
  | { kind: 'order'; modelId: string; trim?: string; price: number; deposit: number }
  | { kind: 'lost'; reason: LostReason; competitor?: string }
  | { kind: 'note' };

export const LOST_REASONS: Readonly<Record<LostReason, string>> = {
  bought_competitor: '已购竞品',
  bought_elsewhere: '已在其他门店购车',
  price: '价格原因',
  postponed: '暂缓购车',
  no_budget: '预算不足',
  unreachable: '联系不上',
  other: '其他原因',
};

const CALL_OUTCOMES: Readonly<Record<CallOutcome, string>> = {
  connected: '电话已接通',
  no_answer: '电话未接通',
  busy: '电话占线',
  wrong_number: '号码错误',
};

const EVENT_TYPE: Readonly<Record<FollowUpKind, TouchpointType>> = {
  call: 'call',
  visit: 'store_visit',
  test_drive: 'test_drive',
  quote: 'quote',
  order: 'order',
  lost: 'call',
  note: 'wecom_chat',
};

const KINDS = new Set<string>(Object.keys(EVENT_TYPE));
const isKind = (v: unknown): v is FollowUpKind => typeof v === 'string' && KINDS.has(v);

/** The kind-specific facts, as stored on the follow-up document (`details`). */
function detailsOf(f: FollowUpFacts): Facts {
  const { kind: _kind, ...rest } = f;
  const out: Facts = {};
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) out[k] = v as Scalar;
  return out;
}

/** Properties the scoring rules, tags, SLA and descriptions read, per event type. */
function eventProperties(f: FollowUpFacts): Facts {
  switch (f.kind) {
    case 'call':
      return { direction: 'outbound', connected: f.outcome === 'connected', ...detailsOf(f) };
    case 'lost':
      // `outcome: 'lost'` is what the activity counters and the model's lost rule look for.
      return { direction: 'outbound', outcome: 'lost', ...detailsOf(f) };
    case 'note':
      return { direction: 'out' };
    default:
      return detailsOf(f);
  }
}

export interface FollowUpEnvelope {
  /** The messageId: the event's id and the follow-up document's. */
  id: string;
  customerId: string;
  storeId: string;
  staffId: string;
  note: string;
  /** When it happened. */
  at: number;
  /** Server time of the submit. */
  receivedAt: number;
}

/** The event a follow-up is stored as. */
export function followUpEvent(f: FollowUpFacts, env: FollowUpEnvelope): EventDoc {
  const properties: Facts = { ...eventProperties(f), followUp: f.kind };
  if (env.note) properties.note = env.note;
  return {
    _id: env.id,
    customerId: env.customerId,
    storeId: env.storeId,
    type: EVENT_TYPE[f.kind],
    source: f.kind === 'note' ? 'wecom' : 'store',
    properties,
    originalTimestamp: env.at,
    sentAt: env.receivedAt,
    receivedAt: env.receivedAt,
    timestamp: env.at,
    staffId: env.staffId,
  };
}

const ENVELOPE_KEYS = new Set(['followUp', 'note', 'direction', 'connected']);

/** The follow-up document an event records, when it is a follow-up event. */
export function followUpFromEvent(e: EventDoc): FollowUpDoc | undefined {
  const kind = e.properties.followUp;
  if (!isKind(kind) || !e.staffId) return undefined;
  const details: Facts = {};
  for (const [k, v] of Object.entries(e.properties)) if (!ENVELOPE_KEYS.has(k) && !(kind === 'lost' && k === 'outcome')) details[k] = v;
  const note = typeof e.properties.note === 'string' ? e.properties.note : '';
  return { _id: e._id, customerId: e.customerId, storeId: e.storeId, staffId: e.staffId, kind, details, note, at: e.timestamp, eventId: e._id };
}

const num = (d: Facts | undefined, k: string): number | undefined => (typeof d?.[k] === 'number' ? (d[k] as number) : undefined);
const str = (d: Facts | undefined, k: string): string | undefined => (typeof d?.[k] === 'string' && d[k] !== '' ? (d[k] as string) : undefined);

function modelText(d: Facts | undefined): string {
  const id = str(d, 'modelId');
  const name = id ? (modelById(id)?.name ?? id) : '';
  const trim = str(d, 'trim');
  return [name, trim].filter(Boolean).join(' ');
}

/** 通话3分钟 / 通话45秒. */
function callLength(seconds: number): string {
  return seconds < 60 ? `通话${seconds}秒` : `通话${Math.round(seconds / 60)}分钟`;
}

/** The follow-up's Chinese one-liner, e.g. 电话已接通 · 通话3分钟, 报价揽岳 18.58万（优惠1.2万）. */
export function followUpTitle(f: Pick<FollowUpDoc, 'kind' | 'details'>): string {
  const d = f.details;
  const joinDot = (...parts: (string | undefined | false)[]) => parts.filter(Boolean).join(' · ');
  switch (f.kind) {
    case 'call': {
      const outcome = str(d, 'outcome');
      const seconds = num(d, 'durationSeconds');
      const head = outcome && outcome in CALL_OUTCOMES ? CALL_OUTCOMES[outcome as CallOutcome] : '电话沟通';
      return joinDot(head, seconds !== undefined && seconds > 0 && callLength(seconds));
    }
    case 'visit': {
      const minutes = num(d, 'durationMinutes');
      return joinDot('客户到店', minutes !== undefined && `停留${minutes}分钟`);
    }
    case 'test_drive': {
      const minutes = num(d, 'durationMinutes');
      return joinDot(['试驾', modelText(d)].filter(Boolean).join(''), minutes !== undefined && `${minutes}分钟`);
    }
    case 'quote': {
      const price = num(d, 'price');
      const cut = num(d, 'priceCut');
      const amount = price !== undefined ? ` ${formatWan(price)}万${cut ? `（优惠${formatWan(cut)}万）` : ''}` : '';
      return `${[FOLLOW_UP_KIND_LABELS.quote, modelText(d)].filter(Boolean).join('')}${amount}`;
    }
    case 'order': {
      const price = num(d, 'price');
      const deposit = num(d, 'deposit');
      return joinDot(
        [FOLLOW_UP_KIND_LABELS.order, modelText(d)].filter(Boolean).join(''),
        price !== undefined && price > 0 && `成交价${formatWan(price)}万`,
        deposit !== undefined && deposit > 0 && `定金${deposit}元`,
      );
    }
    case 'lost': {
      const reason = str(d, 'reason');
      const competitor = str(d, 'competitor');
      const text = reason && reason in LOST_REASONS ? LOST_REASONS[reason as LostReason] : '客户流失';
      return `战败：${text}${competitor ? `（${competitor}）` : ''}`;
    }
    case 'note':
      return '跟进备注';
  }
}

export function toFollowUpView(f: FollowUpDoc, staffName: (id: string) => string | undefined): FollowUpView {
  return { id: f._id, kind: f.kind, title: followUpTitle(f), note: f.note, at: f.at, staffName: staffName(f.staffId) ?? '顾问' };
}
