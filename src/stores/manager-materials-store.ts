/**
 * The manager's material library (素材库): the store's own materials and 话术 by kind, the brand's
 * shown read-only, an editor (create, edit) that shows the server's field errors beside the
 * field, archive with a confirm, and the store's marketing frequency cap.
 */
import { create } from 'zustand';
import type { ActivityView, FrequencyCapView, MaterialKind, MaterialView } from '@/contract';
import { randomId } from '@/platform/contact';
import { callCloud } from '@/services/call-cloud';
import { toCloudError, type CloudError } from '@/services/cloud-error';
import type { LoadStatus } from './paged';
import { registerReset } from './registry';
import { useSessionStore } from './session-store';

export type KindTab = 'all' | MaterialKind;

/** The editor's fields, as typed. */
export interface MaterialDraft {
  /** Absent for a new material until it is saved. */
  id?: string;
  /** The id a new material is saved under, made when the editor opens so a retried save writes it once. */
  newId?: string;
  kind: MaterialKind;
  title: string;
  summary: string;
  body: string;
  coverUrl: string;
  activityId: string;
  category?: string;
}

export type DraftField = 'kind' | 'title' | 'summary' | 'body' | 'coverUrl' | 'activityId';

interface Editor {
  draft: MaterialDraft;
  saving: boolean;
  /** Chinese, by field, from the server's issues. */
  errors: Partial<Record<DraftField, string>>;
  /** A refusal not about one field. */
  error?: string;
}

interface CapState {
  saved?: FrequencyCapView;
  touches: string;
  days: string;
  status: LoadStatus;
  saving: boolean;
  errors: Partial<Record<'touches' | 'days', string>>;
  error?: string;
  notice?: string;
}

interface MaterialsState {
  items: MaterialView[];
  status: LoadStatus;
  error?: CloudError;
  tab: KindTab;
  /** Showing what was archived (to put it back) instead of the live library. */
  archived: boolean;
  editor?: Editor;
  /** The material waiting for the archive (or restore) confirm. */
  confirming?: MaterialView;
  confirmBusy: boolean;
  confirmError?: string;
  activities: ActivityView[];
  activitiesStatus: LoadStatus;
  cap: CapState;

  load(): Promise<void>;
  setTab(tab: KindTab): void;
  showArchived(archived: boolean): void;
  startNew(kind: MaterialKind): void;
  startEdit(m: MaterialView): void;
  setField(field: DraftField, value: string): void;
  closeEditor(): void;
  save(): Promise<boolean>;
  askArchive(m: MaterialView): void;
  cancelArchive(): void;
  confirmArchive(): Promise<boolean>;
  loadActivities(): Promise<void>;
  loadCap(): Promise<void>;
  setCapField(field: 'touches' | 'days', value: string): void;
  saveCap(): Promise<boolean>;
}

/** The server names a field and says what is wrong in English; the manager reads it in Chinese. */
export function fieldMessage(field: string, message: string): string {
  const most = /at most (\d+)/.exec(message);
  const least = /at least (\d+)/.exec(message);
  if (field === 'activityId') return /no such/.test(message) ? '这个活动不存在或已结束，请重新选择' : '请选择邀请参加的活动';
  if (field === 'body' && /script/.test(message)) return '请填写话术内容';
  if (field === 'coverUrl') return '请填写以 http:// 或 https:// 开头的图片链接';
  if (/empty/.test(message)) return '请填写';
  if (most) return field === 'touches' || field === 'days' ? `不能超过${most[1]}` : `最多${most[1]}个字`;
  if (least) return `不能少于${least[1]}`;
  if (/whole number|integer|number/i.test(message)) return '请填写整数';
  return '请检查这一项';
}

const emptyDraft = (kind: MaterialKind): MaterialDraft => ({ newId: `mat-${randomId()}`, kind, title: '', summary: '', body: '', coverUrl: '', activityId: '' });

const initialCap = (): CapState => ({ saved: undefined, touches: '', days: '', status: 'idle', saving: false, errors: {}, error: undefined, notice: undefined });

const initial = () => ({
  items: [] as MaterialView[],
  status: 'idle' as LoadStatus,
  error: undefined,
  tab: 'all' as KindTab,
  archived: false,
  editor: undefined,
  confirming: undefined,
  confirmBusy: false,
  confirmError: undefined,
  activities: [] as ActivityView[],
  activitiesStatus: 'idle' as LoadStatus,
  cap: initialCap(),
});

/** Whole numbers as typed, or undefined (the server then names the field). */
const whole = (text: string): number | undefined => (/^\d{1,4}$/.test(text.trim()) ? Number(text.trim()) : undefined);

export const useMaterialsStore = create<MaterialsState>()((set, get) => ({
  ...initial(),

  async load() {
    set({ status: 'loading', error: undefined });
    try {
      const items = await callCloud('materials', 'list', get().archived ? { archived: true } : {});
      set({ items, status: 'ready' });
    } catch (e) {
      set({ status: 'error', error: toCloudError(e) });
    }
  },
  setTab: (tab) => set({ tab }),
  showArchived(archived) {
    if (archived === get().archived) return;
    set({ archived, items: [] });
    void get().load();
  },
  startNew(kind) {
    set({ editor: { draft: emptyDraft(kind), saving: false, errors: {} } });
    if (kind === 'invitation') void get().loadActivities();
  },
  startEdit(m) {
    set({
      editor: {
        draft: { id: m.id, kind: m.kind, title: m.title, summary: m.summary, body: m.body ?? '', coverUrl: m.coverUrl ?? '', activityId: m.activity?.id ?? '', category: m.category },
        saving: false,
        errors: {},
      },
    });
    if (m.kind === 'invitation') void get().loadActivities();
  },
  setField(field, value) {
    const editor = get().editor;
    if (!editor) return;
    const draft = { ...editor.draft, [field]: value } as MaterialDraft;
    set({ editor: { ...editor, draft, errors: { ...editor.errors, [field]: undefined } } });
    if (field === 'kind' && value === 'invitation') void get().loadActivities();
  },
  closeEditor: () => set({ editor: undefined }),
  async save() {
    const editor = get().editor;
    if (!editor || editor.saving) return false;
    const d = editor.draft;
    set({ editor: { ...editor, saving: true, error: undefined, errors: {} } });
    const trimmed = (v: string) => (v.trim() ? v.trim() : undefined);
    try {
      const saved = await callCloud('materials', 'save', {
        materialId: d.id ?? d.newId ?? `mat-${randomId()}`,
        kind: d.kind,
        title: d.title,
        summary: d.summary,
        ...(d.kind === 'script' ? { body: d.body } : trimmed(d.body) ? { body: d.body } : {}),
        ...(trimmed(d.coverUrl) ? { coverUrl: d.coverUrl.trim() } : {}),
        ...(d.kind === 'invitation' && d.activityId ? { activityId: d.activityId } : {}),
        ...(d.category ? { category: d.category as never } : {}),
      });
      const items = get().items.filter((m) => m.id !== saved.id);
      set({ items: [saved, ...items], editor: undefined });
      return true;
    } catch (e) {
      const err = toCloudError(e);
      const errors: Editor['errors'] = {};
      for (const issue of err.issues) {
        const field = issue.field.split('.')[0] as DraftField;
        if (['kind', 'title', 'summary', 'body', 'coverUrl', 'activityId'].includes(field)) errors[field] = fieldMessage(field, issue.message);
      }
      const named = Object.keys(errors).length > 0;
      set({ editor: { ...get().editor!, saving: false, errors, error: named ? undefined : err.code === 'NOT_FOUND' ? '这条素材已不存在或不能修改，请刷新后再试' : err.userMessage } });
      return false;
    }
  },
  askArchive: (m) => set({ confirming: m, confirmError: undefined }),
  cancelArchive: () => set({ confirming: undefined, confirmBusy: false, confirmError: undefined }),
  async confirmArchive() {
    const m = get().confirming;
    if (!m || get().confirmBusy) return false;
    set({ confirmBusy: true, confirmError: undefined });
    try {
      await callCloud('materials', 'archive', { materialId: m.id, archived: !m.archived });
      // It leaves the list it was in (live or archived).
      set({ items: get().items.filter((x) => x.id !== m.id), confirming: undefined, editor: undefined });
      return true;
    } catch (e) {
      set({ confirmError: toCloudError(e).userMessage });
      return false;
    } finally {
      set({ confirmBusy: false });
    }
  },
  async loadActivities() {
    if (get().activitiesStatus === 'loading' || get().activitiesStatus === 'ready') return;
    set({ activitiesStatus: 'loading' });
    try {
      const storeId = useSessionStore.getState().me?.storeId;
      set({ activities: await callCloud('activities', 'upcoming', storeId ? { storeId } : {}), activitiesStatus: 'ready' });
    } catch {
      set({ activitiesStatus: 'error' });
    }
  },
  async loadCap() {
    set({ cap: { ...get().cap, status: 'loading', error: undefined } });
    try {
      const saved = await callCloud('sends', 'cap', {});
      set({ cap: { ...initialCap(), saved, touches: String(saved.touches), days: String(saved.days), status: 'ready' } });
    } catch (e) {
      set({ cap: { ...get().cap, status: 'error', error: toCloudError(e).userMessage } });
    }
  },
  setCapField(field, value) {
    const cap = get().cap;
    set({ cap: { ...cap, [field]: value, errors: { ...cap.errors, [field]: undefined }, notice: undefined } });
  },
  async saveCap() {
    const cap = get().cap;
    if (cap.saving) return false;
    set({ cap: { ...cap, saving: true, errors: {}, error: undefined, notice: undefined } });
    try {
      const saved = await callCloud('sends', 'setCap', { touches: whole(cap.touches) ?? (cap.touches as never), days: whole(cap.days) ?? (cap.days as never) });
      set({ cap: { ...get().cap, saved, touches: String(saved.touches), days: String(saved.days), saving: false, notice: `已保存：每位客户${saved.days}天内最多收到${saved.touches}次营销触达` } });
      return true;
    } catch (e) {
      const err = toCloudError(e);
      const errors: CapState['errors'] = {};
      for (const issue of err.issues) if (issue.field === 'touches' || issue.field === 'days') errors[issue.field] = fieldMessage(issue.field, issue.message);
      set({ cap: { ...get().cap, saving: false, errors, error: Object.keys(errors).length ? undefined : err.userMessage } });
      return false;
    }
  },
}));

registerReset(() => useMaterialsStore.setState(initial()));
