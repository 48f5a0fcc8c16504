import type { FollowUpView, IntentGrade, LifecycleStage, SlaState, TouchpointType } from '@/contract';
import { FOLLOW_UP_KIND_LABELS, GENDER_LABELS, GRADE_MEANINGS, MODEL_LINE_LABELS, ROLE_LABELS, STAGE_LABELS, TOUCHPOINT_LABELS } from '@/contract';

export type Tone = 'blue' | 'orange' | 'green' | 'red' | 'purple' | 'cyan' | 'gray';

export const stageLabel = STAGE_LABELS;
export const stageTone: Record<LifecycleStage, Tone> = { lead: 'blue', prospect: 'orange', owner: 'green' };

export const gradeHint = GRADE_MEANINGS;
export const gradeTone: Record<IntentGrade, Tone> = { H: 'red', A: 'orange', B: 'blue', C: 'gray' };

/** First-contact SLA states by urgency: overdue is the one to act on now. */
export const slaTone: Record<SlaState, Tone> = { pending: 'blue', due_soon: 'orange', overdue: 'red', met: 'green', late: 'gray' };

/** Follow-up kinds as the consultant names them, with a list tone and a one-glyph icon. */
export const followUpKindStyle: Record<FollowUpView['kind'], { label: string; tone: Tone; glyph: string }> = {
  call: { label: FOLLOW_UP_KIND_LABELS.call, tone: 'gray', glyph: '☎' },
  visit: { label: FOLLOW_UP_KIND_LABELS.visit, tone: 'blue', glyph: '店' },
  test_drive: { label: FOLLOW_UP_KIND_LABELS.test_drive, tone: 'blue', glyph: '驾' },
  quote: { label: FOLLOW_UP_KIND_LABELS.quote, tone: 'orange', glyph: '¥' },
  order: { label: FOLLOW_UP_KIND_LABELS.order, tone: 'red', glyph: '订' },
  lost: { label: FOLLOW_UP_KIND_LABELS.lost, tone: 'gray', glyph: '✕' },
  note: { label: FOLLOW_UP_KIND_LABELS.note, tone: 'cyan', glyph: '记' },
};

export const roleLabel = ROLE_LABELS;

export const genderLabel = GENDER_LABELS;

export const modelLineLabel = MODEL_LINE_LABELS;

interface TouchpointStyle {
  label: string;
  /** One character shown in the timeline's coloured dot. */
  glyph: string;
  tone: Tone;
}

export const touchpointStyle: Record<TouchpointType, TouchpointStyle> = {
  ad_click: { label: TOUCHPOINT_LABELS.ad_click, glyph: '广', tone: 'gray' },
  live_stream: { label: TOUCHPOINT_LABELS.live_stream, glyph: '播', tone: 'purple' },
  content_view: { label: TOUCHPOINT_LABELS.content_view, glyph: '阅', tone: 'cyan' },
  share: { label: TOUCHPOINT_LABELS.share, glyph: '享', tone: 'cyan' },
  form_submit: { label: TOUCHPOINT_LABELS.form_submit, glyph: '资', tone: 'orange' },
  store_visit: { label: TOUCHPOINT_LABELS.store_visit, glyph: '店', tone: 'blue' },
  test_drive: { label: TOUCHPOINT_LABELS.test_drive, glyph: '驾', tone: 'blue' },
  quote: { label: TOUCHPOINT_LABELS.quote, glyph: '价', tone: 'orange' },
  order: { label: TOUCHPOINT_LABELS.order, glyph: '订', tone: 'red' },
  delivery: { label: TOUCHPOINT_LABELS.delivery, glyph: '交', tone: 'green' },
  service_visit: { label: TOUCHPOINT_LABELS.service_visit, glyph: '修', tone: 'green' },
  wecom_chat: { label: TOUCHPOINT_LABELS.wecom_chat, glyph: '聊', tone: 'green' },
  call: { label: TOUCHPOINT_LABELS.call, glyph: '话', tone: 'gray' },
};
