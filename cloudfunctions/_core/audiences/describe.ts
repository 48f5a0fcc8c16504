/**
 * The Chinese one-line description of a rule for the manager's editor and lists, e.g.
 * 近90天分享≥3次 且 … 且 同时带标签「意向高」「购买力高」. Uses the catalog's names only, so the
 * app can call it on the rule being edited.
 */
import type { AudienceLeaf, AudienceNode, AudienceRule, CountTest, EventMatch, ModelSelector, PropertyFilter, Scalar, TimeWindow } from '../../../types/audience';
import type { TouchpointType } from '../../../types/catalog';
import { channelName } from '../catalog/channels';
import { BODY_TYPE_LABELS, EVENT_PROPERTY_LABELS, EVENT_PROPERTY_VALUE_LABELS, FORM_LABELS, STAGE_LABELS } from '../../../types/vocabulary';
import { MODEL_LINE_NAMES, modelById } from '../catalog/models';
import { tagById } from '../catalog/tags';
import { FORM_NAMES, TOUCHPOINT_LABELS, type FormKind } from '../catalog/touchpoints';

export interface DescribeAudienceLookups {
  storeName?(id: string): string | undefined;
  staffName?(id: string): string | undefined;
}

const STAGE_NAMES = STAGE_LABELS;
const BODY_NAMES = BODY_TYPE_LABELS;
const CONSENT_NAMES = { marketing: '营销触达', group_sharing: '集团内共享' } as const;
/** Verbs for an event type with a model: 浏览SUV车系内容, 试驾揽岳. */
const WITH_MODEL: Partial<Record<TouchpointType, (m: string) => string>> = {
  content_view: (m) => `浏览${m}内容`,
  share: (m) => `分享${m}内容`,
  ad_click: (m) => `点击${m}广告`,
  live_stream: (m) => `观看${m}直播`,
};

function modelPhrase(s: ModelSelector): string {
  switch (s.by) {
    case 'id':
      return s.in.map((id) => modelById(id)?.name ?? id).join('/');
    case 'line':
      return `${s.in.map((l) => MODEL_LINE_NAMES[l]).join('/')}车系`;
    case 'body':
      return `${s.in.map((b) => BODY_NAMES[b]).join('/')}车身`;
  }
}

const show = (v: Scalar) => (v === null ? '空' : String(v));

/** A property by its Chinese name, its listed values by theirs (other keys and values as written). */
const propertyName = (key: string) => (EVENT_PROPERTY_LABELS as Record<string, string>)[key] ?? key;
function valueName(key: string, v: Scalar): string {
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (key === 'form' && typeof v === 'string') return (FORM_LABELS as Record<string, string>)[v] ?? v;
  if (typeof v === 'string') return (EVENT_PROPERTY_VALUE_LABELS as Record<string, string>)[v] ?? v;
  return show(v);
}

function filterPhrase(f: PropertyFilter): string {
  const name = propertyName(f.key);
  switch (f.op) {
    case 'eq':
      return `${name}为${valueName(f.key, f.value)}`;
    case 'in':
      return `${name}为${f.values.map((v) => valueName(f.key, v)).join('/')}`;
    case 'notIn':
      return `${name}不为${f.values.map((v) => valueName(f.key, v)).join('/')}`;
    case 'gte':
      return `${name}≥${f.value}`;
    case 'lte':
      return `${name}≤${f.value}`;
    case 'between':
      return `${name}在${f.min}-${f.max}`;
  }
}

/** The values an `eq` / `in` filter on `key` allows, if there is one. */
function allowed(where: readonly PropertyFilter[], key: string): Scalar[] | undefined {
  const f = where.find((x) => x.key === key && (x.op === 'eq' || x.op === 'in'));
  if (!f) return undefined;
  return f.op === 'eq' ? [f.value] : f.op === 'in' ? f.values : undefined;
}

function eventPhrase(m: EventMatch): string {
  let where = m.where ?? [];
  const types = m.types ?? [];
  let action: string;
  if (types.length === 1 && types[0] === 'form_submit') {
    const forms = allowed(where, 'form');
    const names = allowed(where, 'formName');
    where = where.filter((f) => !((f.key === 'form' && forms) || (f.key === 'formName' && names)));
    const formText = forms?.map((f) => FORM_NAMES[f as FormKind] ?? show(f)).join('/');
    if (names) action = `填写${names.map((n) => `《${show(n)}》`).join('或')}`;
    else if (forms && forms.length === 1) action = formText as string;
    else action = forms ? `留资（${formText}）` : TOUCHPOINT_LABELS.form_submit;
    if (m.model) action += `（${modelPhrase(m.model)}）`;
  } else if (types.length === 0) {
    action = m.model ? `有${modelPhrase(m.model)}相关互动` : '有互动';
  } else if (m.model) {
    const model = modelPhrase(m.model);
    action = types.map((t) => WITH_MODEL[t]?.(model) ?? `${TOUCHPOINT_LABELS[t]}${model}`).join('或');
  } else action = types.map((t) => TOUCHPOINT_LABELS[t]).join('或');
  const sources = m.sources ? `在${m.sources.map(channelName).join('/')}` : '';
  const extra = where.length ? `（${where.map(filterPhrase).join('，')}）` : '';
  return `${sources}${action}${extra}`;
}

function windowPhrase(w: TimeWindow): string {
  switch (w.kind) {
    case 'last':
      return `近${w.days}天`;
    case 'this':
      return w.period === 'month' ? '本月' : '本季度';
    case 'between':
      return `${w.from}至${w.to}`;
    case 'ever':
      return '累计';
  }
}

function countPhrase(c: CountTest): string {
  switch (c.op) {
    case 'gte':
      return `≥${c.value}次`;
    case 'lte':
      return `≤${c.value}次`;
    case 'eq':
      return `${c.value}次`;
    case 'between':
      return `${c.min}-${c.max}次`;
  }
}

function leafPhrase(n: AudienceLeaf, lookups: DescribeAudienceLookups): string {
  switch (n.kind) {
    case 'stage':
      return `阶段为${n.in.map((s) => STAGE_NAMES[s]).join('或')}`;
    case 'grade': {
      const graded = n.in.filter((g) => g !== 'none');
      const parts = graded.length ? [`${graded.join('/')}级`] : [];
      if (n.in.includes('none')) parts.push('未定级');
      return `等级为${parts.join('或')}`;
    }
    case 'tags': {
      const names = n.ids.map((id) => `「${tagById(id)?.name ?? id}」`).join('');
      if (n.match === 'none') return `不带标签${names}`;
      if (n.ids.length === 1) return `带标签${names}`;
      return n.match === 'all' ? `同时带标签${names}` : `带任一标签${names}`;
    }
    case 'vehicle':
      return `${n.relation === 'interest' ? '意向车型' : '保有车型'}为${modelPhrase(n.model)}`;
    case 'store':
      return `门店为${n.in.map((s) => lookups.storeName?.(s) ?? s).join('或')}`;
    case 'owner':
      return `归属${n.in.map((o) => (o === null ? '公海' : (lookups.staffName?.(o) ?? o))).join('或')}`;
    case 'consent':
      return `${n.granted ? '已' : '未'}同意${CONSENT_NAMES[n.purpose]}`;
    case 'score':
      if (n.min !== undefined && n.max !== undefined) return `评分${n.min}-${n.max}`;
      return n.min !== undefined ? `评分≥${n.min}` : `评分≤${n.max}`;
    case 'behaviour':
      return `${windowPhrase(n.window)}${eventPhrase(n.event)}${countPhrase(n.count)}`;
  }
}

function nodePhrase(n: AudienceNode, lookups: DescribeAudienceLookups, nested: boolean): string {
  switch (n.kind) {
    case 'and':
    case 'or': {
      if (n.of.length === 1) return nodePhrase(n.of[0], lookups, nested);
      const text = n.of.map((c) => nodePhrase(c, lookups, true)).join(n.kind === 'and' ? ' 且 ' : ' 或 ');
      return nested ? `（${text}）` : text;
    }
    case 'not': {
      const inner = nodePhrase(n.of, lookups, true);
      return inner.startsWith('（') ? `非${inner}` : `非（${inner}）`;
    }
    default:
      return leafPhrase(n, lookups);
  }
}

/** One line of Chinese for a rule. */
export function describeAudience(rule: AudienceRule, lookups: DescribeAudienceLookups = {}): string {
  return nodePhrase(rule.root, lookups, false);
}
