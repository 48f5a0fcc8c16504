import { create } from 'zustand';
import { AUDIENCE_TEMPLATES, type AudienceMode, type AudienceNode, type AudiencePreview, type AudienceRule, type AudienceView } from '@/contract';
import { callCloud } from '@/services/call-cloud';
import { toCloudError, type CloudError } from '@/services/cloud-error';
import { registerReset } from './registry';

/** How long the editor waits after the last edit before counting (a count is one call). */
export const PREVIEW_DEBOUNCE_MS = 400;

type Status = 'idle' | 'loading' | 'ready' | 'error';

interface EditorState {
  /** The audience being edited: a new one until saved (version 0). */
  audienceId: string;
  version: number;
  name: string;
  mode: AudienceMode;
  rule: AudienceRule;
  /** The template the rule started from, if any. */
  templateId?: string;
  preview: { status: Status; data?: AudiencePreview; error?: CloudError };
  saving: boolean;
  saveError?: CloudError;
  /** Chinese confirmation of the last save. */
  notice?: string;
  saved: { status: Status; items: AudienceView[]; error?: CloudError };

  loadSaved(): Promise<void>;
  setRoot(root: AudienceNode): void;
  applyTemplate(id: string): void;
  edit(a: AudienceView): void;
  startNew(): void;
  setName(name: string): void;
  setMode(mode: AudienceMode): void;
  /** Counts now (the debounced count calls this). */
  refreshPreview(): Promise<void>;
  save(): Promise<boolean>;
}

const newId = () => `aud-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
const emptyRule = (): AudienceRule => ({ version: 1, root: { kind: 'and', of: [{ kind: 'stage', in: ['lead', 'prospect'] }] } });

let timer: ReturnType<typeof setTimeout> | undefined;
let asked = 0;

const initial = () => ({
  audienceId: newId(),
  version: 0,
  name: '',
  mode: 'dynamic' as AudienceMode,
  rule: emptyRule(),
  templateId: undefined,
  preview: { status: 'idle' as Status },
  saving: false,
  saveError: undefined,
  notice: undefined,
  saved: { status: 'idle' as Status, items: [] },
});

/** The audience editor (人群): a rule being built, its live count, and the store's saved audiences. */
export const useAudienceEditorStore = create<EditorState>()((set, get) => {
  const schedule = () => {
    if (timer) clearTimeout(timer);
    set({ preview: { ...get().preview, status: 'loading' }, notice: undefined, saveError: undefined });
    timer = setTimeout(() => void get().refreshPreview(), PREVIEW_DEBOUNCE_MS);
  };
  return {
    ...initial(),
    loadSaved: async () => {
      set({ saved: { ...get().saved, status: 'loading', error: undefined } });
      try {
        set({ saved: { status: 'ready', items: await callCloud('audiences', 'list', {}) } });
      } catch (e) {
        set({ saved: { ...get().saved, status: 'error', error: toCloudError(e) } });
      }
    },
    setRoot: (root) => {
      set({ rule: { version: 1, root } });
      schedule();
    },
    applyTemplate: (id) => {
      const t = AUDIENCE_TEMPLATES.find((x) => x.id === id);
      if (!t) return;
      set({ rule: t.rule, templateId: id, name: get().version ? get().name : t.name.replace('&', '') });
      schedule();
    },
    edit: (a) => {
      set({ audienceId: a.id, version: a.version, name: a.name, mode: a.mode, rule: a.rule, templateId: undefined, notice: undefined, saveError: undefined });
      schedule();
    },
    startNew: () => {
      set({ ...initial(), saved: get().saved });
      schedule();
    },
    setName: (name) => set({ name, saveError: undefined }),
    setMode: (mode) => set({ mode }),
    refreshPreview: async () => {
      const mine = ++asked;
      set({ preview: { ...get().preview, status: 'loading' } });
      try {
        const data = await callCloud('audiences', 'preview', { rule: get().rule, sample: 6 });
        if (mine === asked) set({ preview: { status: 'ready', data } });
      } catch (e) {
        if (mine === asked) set({ preview: { ...get().preview, status: 'error', error: toCloudError(e) } });
      }
    },
    save: async () => {
      const s = get();
      const name = s.name.trim();
      if (!name || s.saving) return false;
      set({ saving: true, saveError: undefined });
      try {
        const saved = await callCloud('audiences', 'save', { audienceId: s.audienceId, name, rule: s.rule, mode: s.mode, expectedVersion: s.version });
        const others = get().saved.items.filter((a) => a.id !== saved.id);
        const counted = saved.count === null ? '，人数将在统计完成后显示' : `，当前 ${saved.count.toLocaleString('zh-CN')} 人`;
        set({
          saving: false,
          version: saved.version,
          notice: `已保存「${saved.name}」${saved.mode === 'snapshot' ? '（快照）' : ''}${counted}`,
          saved: { status: 'ready', items: [saved, ...others] },
        });
        return true;
      } catch (e) {
        set({ saving: false, saveError: toCloudError(e) });
        return false;
      }
    },
  };
});

registerReset(() => {
  if (timer) clearTimeout(timer);
  useAudienceEditorStore.setState(initial());
});
