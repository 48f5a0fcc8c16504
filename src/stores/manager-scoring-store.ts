import { create } from 'zustand';
import { GRADE_LABELS, type IntentGrade, type Result } from '@/contract';
import { callCloud } from '@/services/call-cloud';
import { toCloudError, type CloudError } from '@/services/cloud-error';
import type { LoadStatus } from './paged';
import { registerReset } from './registry';

export type ScoringModel = Result<'scoring', 'model'>['model'];
export type RescoreJob = NonNullable<Result<'scoring', 'job'>>;
export type RuleKind = 'fit' | 'engagement';

/** How often the page asks how the rescore is going while it runs. */
export const JOB_POLL_MS = 2000;

export const isRescoring = (job: RescoreJob | undefined): boolean => job?.status === 'queued' || job?.status === 'running';

export interface ScoringNotice {
  kind: 'done' | 'failed';
  text: string;
}

interface ScoringState {
  /** The model as the server last returned it. */
  saved?: ScoringModel;
  /** The manager's local edits; sent only on save. */
  draft?: ScoringModel;
  isDefault: boolean;
  status: LoadStatus;
  error?: CloudError;
  saving: boolean;
  notice?: ScoringNotice;
  /** The store's latest rescore (it runs in the background after a save). */
  job?: RescoreJob;

  load(): Promise<void>;
  /** Asks for the rescore's progress, while one runs. */
  refreshJob(): Promise<void>;
  /** Follows the rescore every `intervalMs` until stopped (the page runs it while visible). */
  followJob(intervalMs?: number): () => void;
  setRulePoints(kind: RuleKind, groupIndex: number, ruleIndex: number, points: number): void;
  setGrade(grade: IntentGrade, minScore: number): void;
  discard(): void;
  /** Saves the draft over the version it was edited from; the server starts rescoring every customer. */
  save(): Promise<void>;
}

const initial = () => ({
  saved: undefined,
  draft: undefined,
  isDefault: false,
  status: 'idle' as LoadStatus,
  error: undefined,
  saving: false,
  notice: undefined,
  job: undefined,
});

/** Whether the draft differs from the saved model. */
export const isDirty = (s: { saved?: ScoringModel; draft?: ScoringModel }): boolean =>
  Boolean(s.saved && s.draft && JSON.stringify(s.saved) !== JSON.stringify(s.draft));

const SETTING_NAMES: Record<string, string> = { points: '分值', dailyCap: '每日上限', windowDays: '统计天数', cap: '分数上限' };

/**
 * The server names the field in the model's own terms (model.engagement.groups.0.rules.1.dailyCap);
 * a manager reads the rule's label and the setting in Chinese instead.
 */
export function describeModelField(field: string, model: ScoringModel | undefined): string {
  const parts = field.split('.');
  const at = parts[0] === 'model' ? parts.slice(1) : parts;
  if (at[0] === 'grades') return at[1] && at[1] in GRADE_LABELS ? `${GRADE_LABELS[at[1] as IntentGrade]}门槛` : '等级门槛';
  if ((at[0] === 'fit' || at[0] === 'engagement') && model) {
    const group = model[at[0]].groups[Number(at[2])];
    const rule = at[3] === 'rules' ? group?.rules[Number(at[4])] : undefined;
    const setting = SETTING_NAMES[(rule ? at[5] : at[3]) ?? ''] ?? '设置';
    if (rule) return `「${rule.label}」的${setting}`;
    if (group) return `「${group.label}」的${setting}`;
  }
  return '评分模型的设置';
}

function saveFailure(e: unknown, draft: ScoringModel | undefined): string {
  const error = toCloudError(e);
  if (error.code === 'CONFLICT') return '模型已被他人修改，请刷新后再改';
  if (error.code === 'INVALID_INPUT' && error.issues.length) {
    // The usual slip: points raised above the rule's daily cap (the cap is not editable here).
    const capped = error.issues.find((i) => i.field.endsWith('.dailyCap'));
    if (capped) return `保存失败：${describeModelField(capped.field.replace(/dailyCap$/, 'points'), draft)}超过了每日上限，请调低`;
    const fields = [...new Set(error.issues.map((i) => describeModelField(i.field, draft)))];
    return `保存失败：请检查${fields.join('、')}`;
  }
  return `保存失败：${error.userMessage}`;
}

/** The store manager's scoring model editor: load, edit locally, save and rescore. */
export const useScoringStore = create<ScoringState>()((set, get) => ({
  ...initial(),
  load: async () => {
    set({ status: 'loading', error: undefined });
    try {
      // The page works without the progress line: a failed ask for it is not a failed page.
      const [{ model, isDefault }, job] = await Promise.all([callCloud('scoring', 'model', {}), callCloud('scoring', 'job', {}).catch(() => null)]);
      set({ saved: model, draft: model, isDefault, status: 'ready', notice: undefined, job: job ?? undefined });
    } catch (e) {
      set({ status: 'error', error: toCloudError(e) });
    }
  },
  refreshJob: async () => {
    if (!isRescoring(get().job)) return;
    const job = await callCloud('scoring', 'job', {});
    set({ job: job ?? undefined });
  },
  followJob: (intervalMs = JOB_POLL_MS) => {
    let stopped = false;
    let handle: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        await get().refreshJob();
      } catch {
        // A missed beat is harmless: the next one asks again.
      }
      if (!stopped) handle = setTimeout(() => void tick(), intervalMs);
    };
    handle = setTimeout(() => void tick(), intervalMs);
    return () => {
      stopped = true;
      clearTimeout(handle);
    };
  },
  setRulePoints: (kind, groupIndex, ruleIndex, points) => {
    const draft = get().draft;
    if (!draft) return;
    const groups = draft[kind].groups.map((g, gi) =>
      gi !== groupIndex ? g : { ...g, rules: g.rules.map((r, ri) => (ri === ruleIndex ? { ...r, points } : r)) },
    );
    set({ draft: { ...draft, [kind]: { ...draft[kind], groups } } as ScoringModel });
  },
  setGrade: (grade, minScore) => {
    const draft = get().draft;
    if (!draft) return;
    set({ draft: { ...draft, grades: { ...draft.grades, [grade]: minScore } } });
  },
  discard: () => set({ draft: get().saved, notice: undefined }),
  save: async () => {
    const { draft, saved, saving } = get();
    if (!draft || !saved || saving) return;
    set({ saving: true, notice: undefined });
    try {
      // The schema takes any object (the server validates field by field): spread to a plain record.
      const { model, job } = await callCloud('scoring', 'setModel', { model: { ...draft }, expectedVersion: saved.version });
      set({ saved: model, draft: model, isDefault: false, job, notice: { kind: 'done', text: `已保存为版本 ${model.version}` } });
    } catch (e) {
      set({ notice: { kind: 'failed', text: saveFailure(e, get().draft) } });
    } finally {
      set({ saving: false });
    }
  },
}));

registerReset(() => useScoringStore.setState(initial()));
