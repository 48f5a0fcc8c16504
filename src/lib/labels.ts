import type { FollowUpView, IntentGrade, LifecycleStage, ModelLine, Role, SlaState, TouchpointType } from '@/contract';

export type Tone = 'blue' | 'orange' | 'green' | 'red' | 'purple' | 'cyan' | 'gray';

export const stageLabel: Record<LifecycleStage, string> = { lead: '线索', prospect: '潜客', owner: '保客' };
export const stageTone: Record<LifecycleStage, Tone> = { lead: 'blue', prospect: 'orange', owner: 'green' };

export const gradeHint: Record<IntentGrade, string> = {
  H: '7天内购车',
  A: '15天内购车',
  B: '30天内购车',
  C: '3个月内购车',
};
export const gradeTone: Record<IntentGrade, Tone> = { H: 'red', A: 'orange', B: 'blue', C: 'gray' };

/** First-contact SLA states by urgency: overdue is the one to act on now. */
export const slaTone: Record<SlaState, Tone> = { pending: 'blue', due_soon: 'orange', overdue: 'red', met: 'green', late: 'gray' };

/** Follow-up kinds as the consultant names them, with a list tone and a one-glyph icon. */
export const followUpKindStyle: Record<FollowUpView['kind'], { label: string; tone: Tone; glyph: string }> = {
  call: { label: '电话', tone: 'gray', glyph: '☎' },
  visit: { label: '到店', tone: 'blue', glyph: '店' },
  test_drive: { label: '试驾', tone: 'blue', glyph: '驾' },
  quote: { label: '报价', tone: 'orange', glyph: '¥' },
  order: { label: '下单', tone: 'red', glyph: '订' },
  lost: { label: '战败', tone: 'gray', glyph: '✕' },
  note: { label: '备注', tone: 'cyan', glyph: '记' },
};

export const roleLabel: Record<Role, string> = { consultant: '销售顾问', manager: '店长', customer: '客户' };

export const genderLabel = { male: '男', female: '女', unknown: '' } as const;

export const modelLineLabel: Record<ModelLine, string> = { SUV: 'SUV', sedan: '轿车', MPV: 'MPV', NEV: '新能源' };

interface TouchpointStyle {
  label: string;
  /** One character shown in the timeline's coloured dot. */
  glyph: string;
  tone: Tone;
}

export const touchpointStyle: Record<TouchpointType, TouchpointStyle> = {
  ad_click: { label: '广告点击', glyph: '广', tone: 'gray' },
  live_stream: { label: '直播', glyph: '播', tone: 'purple' },
  content_view: { label: '内容浏览', glyph: '阅', tone: 'cyan' },
  share: { label: '分享', glyph: '享', tone: 'cyan' },
  form_submit: { label: '留资', glyph: '资', tone: 'orange' },
  store_visit: { label: '到店', glyph: '店', tone: 'blue' },
  test_drive: { label: '试驾', glyph: '驾', tone: 'blue' },
  quote: { label: '报价', glyph: '价', tone: 'orange' },
  order: { label: '下订', glyph: '订', tone: 'red' },
  delivery: { label: '交车', glyph: '交', tone: 'green' },
  service_visit: { label: '售后到店', glyph: '修', tone: 'green' },
  wecom_chat: { label: '企微沟通', glyph: '聊', tone: 'green' },
  call: { label: '电话', glyph: '话', tone: 'gray' },
};
