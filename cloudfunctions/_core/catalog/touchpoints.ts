/**
 * Touchpoint types, their Chinese labels, the properties each type carries, and the one-line
 * Chinese title the timeline shows for an event. The list of types and the rules of their
 * properties are written once in types/catalog.ts (the contract checks events with them).
 */
import type { EventDoc, TouchpointType } from '../../../types/model';
import { channelName } from './channels';
import { modelById } from './models';

export { PROPERTY_RULES, TOUCHPOINT_TYPES } from '../../../types/catalog';
export type { PropertyKind, PropertyRule } from '../../../types/catalog';

import { FORM_LABELS, TOUCHPOINT_LABELS } from '../../../types/vocabulary';

export { TOUCHPOINT_LABELS };

/** Touchpoints that happen in a store and are recorded by staff (they carry `staffId`). */
export const STORE_SIDE_TYPES: readonly TouchpointType[] = ['store_visit', 'test_drive', 'quote', 'order', 'delivery', 'service_visit'];

export type ContentCategory = 'space' | 'performance' | 'driving' | 'tech' | 'safety' | 'price' | 'design' | 'energy';
export const CONTENT_CATEGORY_NAMES: Record<ContentCategory, string> = {
  space: '空间',
  performance: '性能',
  driving: '驾驶体验',
  tech: '智能科技',
  safety: '安全',
  price: '价格权益',
  design: '外观设计',
  energy: '能耗续航',
};

export type FormKind = 'test_drive_booking' | 'price_inquiry' | 'brochure' | 'activity_signup' | 'survey' | 'trade_in';
export const FORM_NAMES: Readonly<Record<FormKind, string>> = FORM_LABELS;

export type ServiceKind = 'first_service' | 'maintenance' | 'repair' | 'warranty' | 'inspection';
export const SERVICE_NAMES: Record<ServiceKind, string> = {
  first_service: '首保',
  maintenance: '常规保养',
  repair: '维修',
  warranty: '质保维修',
  inspection: '年检代办',
};

export type ShareTarget = 'friend' | 'moments' | 'group';

/**
 * The properties each touchpoint type carries. Prices are yuan; durations are seconds or
 * minutes as named. Absent values are `null` (stored documents have no `undefined`).
 */
export interface EventPropsByType {
  ad_click: { modelId: string; campaign: string };
  live_stream: { liveTitle: string; watchSeconds: number; modelId: string | null; interacted: boolean };
  content_view: { materialId: string; dwellSeconds: number; category: string; modelId: string | null };
  share: { materialId: string; category: string; modelId: string | null; target: ShareTarget };
  form_submit: {
    form: FormKind;
    modelId: string | null;
    /** Survey name or activity title, when the form is one. */
    formName: string | null;
    activityId: string | null;
  };
  store_visit: { durationMinutes: number; visitNo: number };
  test_drive: { modelId: string; trim: string; durationMinutes: number };
  quote: { modelId: string; trim: string; listPrice: number; price: number; priceCut: number };
  order: { modelId: string; trim: string; orderNo: string; price: number; deposit: number };
  delivery: { modelId: string; trim: string; vinTail: string };
  service_visit: { modelId: string; service: ServiceKind; mileageKm: number; amount: number };
  wecom_chat: { direction: 'in' | 'out'; messages: number };
  call: { direction: 'inbound' | 'outbound'; durationSeconds: number; connected: boolean };
}

/** What the describer may need from the database; everything else is in this catalog. */
export interface DescribeLookups {
  materialTitle?(id: string): string | undefined;
  storeName?(id: string): string | undefined;
}

/** 3 分 20 秒, 45 秒, 1 小时 5 分. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} 秒`;
  if (s < 3600) {
    const m = Math.floor(s / 60);
    const rest = s % 60;
    return rest ? `${m} 分 ${rest} 秒` : `${m} 分钟`;
  }
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return m ? `${h} 小时 ${m} 分` : `${h} 小时`;
}

/** Yuan as 万, at most two decimals, trailing zeros dropped: 215800 -> 21.58, 12000 -> 1.2. */
export function formatWan(yuan: number): string {
  return String(Math.round(yuan / 100) / 100);
}

type Props = EventDoc['properties'];

function str(p: Props, key: string): string | undefined {
  const v = p[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function num(p: Props, key: string): number | undefined {
  const v = p[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function modelName(p: Props, full = false): string | undefined {
  const id = str(p, 'modelId');
  if (!id) return undefined;
  const m = modelById(id);
  return m ? (full ? m.fullName : m.name) : undefined;
}

function contentTitle(p: Props, lookups: DescribeLookups): string {
  const id = str(p, 'materialId');
  const title = id ? lookups.materialTitle?.(id) : undefined;
  if (title) return `《${title}》`;
  const model = modelName(p) ?? '';
  const category = str(p, 'category') as ContentCategory | undefined;
  const categoryName = category ? CONTENT_CATEGORY_NAMES[category] : undefined;
  return `${model}${categoryName ? `${model ? ' ' : ''}${categoryName}` : ''}内容`;
}

function join(...parts: (string | undefined | false)[]): string {
  return parts.filter((x): x is string => typeof x === 'string' && x !== '').join('');
}

const BETWEEN_HAN = /([\u4e00-\u9fa5（），])\s+(?=[\u4e00-\u9fa5（），])/g;

/**
 * Chinese sets no space between Chinese words (在官网获取揽岳车型手册); a space stays next to
 * digits and Latin letters (停留 6 秒, 揽岳 2.0T). Titles in 《》 are kept as their authors wrote them.
 */
export function tidyChinese(text: string): string {
  return text
    .split(/(《[^》]*》)/)
    .map((part) => (part.startsWith('《') ? part : part.replace(BETWEEN_HAN, '$1')))
    .join('');
}

/** Chinese one-line title of an event for the timeline and the customer's last touch. */
export function describeEvent(e: Pick<EventDoc, 'type' | 'source' | 'properties' | 'storeId'>, lookups: DescribeLookups = {}): string {
  return tidyChinese(describeParts(e, lookups));
}

function describeParts(e: Pick<EventDoc, 'type' | 'source' | 'properties' | 'storeId'>, lookups: DescribeLookups): string {
  const p = e.properties;
  const channel = channelName(e.source);
  switch (e.type) {
    case 'ad_click': {
      const m = modelName(p, true);
      return m ? `在${channel}点击 ${m} 广告` : `在${channel}点击广告`;
    }
    case 'live_stream': {
      const title = str(p, 'liveTitle');
      const watch = num(p, 'watchSeconds');
      return join(
        `观看${channel}`,
        title && `《${title}》`,
        watch !== undefined && `，时长 ${formatDuration(watch)}`,
        p.interacted === true && '，有互动',
      );
    }
    case 'content_view': {
      const dwell = num(p, 'dwellSeconds');
      return join(`浏览${contentTitle(p, lookups)}`, dwell !== undefined && `，停留 ${formatDuration(dwell)}`);
    }
    case 'share': {
      const target = str(p, 'target');
      const title = contentTitle(p, lookups);
      if (target === 'moments') return `分享${title}到朋友圈`;
      if (target === 'group') return `分享${title}到群聊`;
      return `分享${title}给好友`;
    }
    case 'form_submit': {
      const form = str(p, 'form') as FormKind | undefined;
      const m = modelName(p);
      const formName = str(p, 'formName');
      const where = `在${channel}`;
      switch (form) {
        case 'activity_signup':
          return `${where}报名${formName ? `《${formName}》` : '活动'}`;
        case 'survey':
          return `${where}填写${formName ? `《${formName}》` : '问卷'}`;
        case 'brochure':
          return `${where}获取${m ? ` ${m} ` : ''}车型手册`;
        case 'test_drive_booking':
        case 'price_inquiry':
        case 'trade_in':
          return `${where}${FORM_NAMES[form]}${m ? ` ${m}` : ''}`;
        default:
          return `${where}留资${m ? ` ${m}` : ''}`;
      }
    }
    case 'store_visit': {
      const store = lookups.storeName?.(e.storeId);
      const minutes = num(p, 'durationMinutes');
      return join(store ? `到访${store}` : '到店', minutes !== undefined && `，停留 ${formatDuration(minutes * 60)}`);
    }
    case 'test_drive': {
      return join('到店试驾', modelName(p) && ` ${modelName(p)}`, str(p, 'trim') && ` ${str(p, 'trim')}`);
    }
    case 'quote': {
      const price = num(p, 'price');
      const cut = num(p, 'priceCut');
      return join(
        '报价',
        modelName(p) && ` ${modelName(p)}`,
        price !== undefined && ` ${formatWan(price)} 万`,
        cut !== undefined && (cut > 0 ? `，优惠 ${formatWan(cut)} 万` : '，无优惠'),
      );
    }
    case 'order': {
      const price = num(p, 'price');
      return join(TOUCHPOINT_LABELS.order, modelName(p) && ` ${modelName(p)}`, str(p, 'trim') && ` ${str(p, 'trim')}`, price !== undefined && `，成交价 ${formatWan(price)} 万`);
    }
    case 'delivery': {
      const vin = str(p, 'vinTail');
      return join('交车', modelName(p) && ` ${modelName(p)}`, vin && `（车架号尾号 ${vin}）`);
    }
    case 'service_visit': {
      const service = str(p, 'service') as ServiceKind | undefined;
      const km = num(p, 'mileageKm');
      return join(
        `进店${(service && SERVICE_NAMES[service]) || '售后'}`,
        modelName(p) && `（${modelName(p)}）`,
        km !== undefined && `，里程 ${km.toLocaleString('en-US')} 公里`,
      );
    }
    case 'wecom_chat': {
      const n = num(p, 'messages');
      const count = n !== undefined ? ` ${n} 条消息` : '';
      return str(p, 'direction') === 'in' ? `客户在企业微信发来${count}` : `顾问在企业微信发送${count}`;
    }
    case 'call': {
      const d = num(p, 'durationSeconds');
      if (str(p, 'direction') === 'inbound') return join(`${channel}来电咨询`, d !== undefined && d > 0 && ` ${formatDuration(d)}`);
      if (p.connected === false) return '电话回访未接通';
      return join('电话回访', d !== undefined && ` ${formatDuration(d)}`);
    }
    default:
      return TOUCHPOINT_LABELS[e.type as TouchpointType] ?? '互动';
  }
}
