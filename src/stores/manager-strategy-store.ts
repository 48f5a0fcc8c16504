import { create } from 'zustand';
import type { AudienceView, ManagerHome, MaterialView, ReactionRule, StrategyChannel, StrategyProgress, StrategySummary } from '@/contract';
import { callCloud } from '@/services/call-cloud';
import { toCloudError, type CloudError } from '@/services/cloud-error';
import type { LoadStatus } from './paged';
import { registerReset } from './registry';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The builder's draft: presets of the reaction tree the manager switches on and tunes. */
export interface StrategyDraft {
  name: string;
  audienceId?: string;
  materialId?: string;
  channel: StrategyChannel;
  /** Days the window lasts from today. */
  days: number;
  fromMinute: number;
  toMinute: number;
  /** 12:00-13:30 quiet. */
  quietNoon: boolean;
  holdoutPercent: number;
  /** Not opened within `hours` -> re-invite once. */
  reinvite: { on: boolean; hours: number };
  /** Opened but not registered within `hours` -> a call task within 4 h. */
  callBack: { on: boolean; hours: number };
  /** Stayed >= 30 s -> notify the manager. */
  longView: boolean;
  /** Registered -> notify the manager. */
  notifyOnRegister: boolean;
}

export const EMPTY_DRAFT: StrategyDraft = {
  name: '',
  channel: 'wecom_chat',
  days: 7,
  fromMinute: 9 * 60,
  toMinute: 21 * 60,
  quietNoon: true,
  holdoutPercent: 10,
  reinvite: { on: true, hours: 24 },
  callBack: { on: true, hours: 48 },
  longView: false,
  notifyOnRegister: true,
};

/** The reaction tree a draft stands for. */
export function rulesOf(d: StrategyDraft): ReactionRule[] {
  const rules: ReactionRule[] = [];
  if (d.reinvite.on) rules.push({ id: 'not-opened', when: { kind: 'not_opened', hours: d.reinvite.hours }, then: [{ kind: 'reinvite', max: 1 }] });
  const underOpened: ReactionRule[] = [];
  if (d.callBack.on) underOpened.push({ id: 'not-registered', when: { kind: 'not_registered', hours: d.callBack.hours }, then: [{ kind: 'call', slaHours: 4 }] });
  if (d.longView) underOpened.push({ id: 'long-view', when: { kind: 'dwell', seconds: 30 }, then: [{ kind: 'notify' }] });
  if (underOpened.length) rules.push({ id: 'opened', when: { kind: 'opened' }, then: [], next: underOpened });
  if (d.notifyOnRegister) rules.push({ id: 'registered', when: { kind: 'registered' }, then: [{ kind: 'notify' }] });
  return rules;
}

const chinaDayStart = (t: number) => Math.floor((t + 8 * HOUR) / DAY) * DAY - 8 * HOUR;
const newId = () => `str-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

interface StrategyState {
  home?: ManagerHome;
  homeLoad: LoadStatus;
  homeError?: CloudError;
  list: StrategySummary[];
  listLoad: LoadStatus;
  listError?: CloudError;
  audiences: AudienceView[];
  materials: MaterialView[];
  choicesLoad: LoadStatus;
  choicesError?: CloudError;
  draft: StrategyDraft;
  saving: boolean;
  saveError?: CloudError;
  /** Chinese result of the last issue. */
  notice?: string;
  progress?: StrategyProgress;
  progressLoad: LoadStatus;
  progressError?: CloudError;
  loadHome(): Promise<void>;
  loadList(): Promise<void>;
  loadChoices(): Promise<void>;
  edit(patch: Partial<StrategyDraft>): void;
  /** Saves the draft as a new strategy and issues it; resolves with its id, or undefined. */
  saveAndIssue(now: number): Promise<string | undefined>;
  loadProgress(strategyId: string, quiet?: boolean): Promise<void>;
}

export const useStrategyStore = create<StrategyState>()((set, get) => ({
  homeLoad: 'idle',
  list: [],
  listLoad: 'idle',
  audiences: [],
  materials: [],
  choicesLoad: 'idle',
  draft: EMPTY_DRAFT,
  saving: false,
  progressLoad: 'idle',
  loadHome: async () => {
    set({ homeLoad: 'loading', homeError: undefined });
    try {
      set({ home: await callCloud('strategies', 'home', {}), homeLoad: 'ready' });
    } catch (e) {
      set({ homeLoad: 'error', homeError: toCloudError(e) });
    }
  },
  loadList: async () => {
    set({ listLoad: 'loading', listError: undefined });
    try {
      set({ list: await callCloud('strategies', 'list', {}), listLoad: 'ready' });
    } catch (e) {
      set({ listLoad: 'error', listError: toCloudError(e) });
    }
  },
  loadChoices: async () => {
    set({ choicesLoad: 'loading', choicesError: undefined });
    try {
      const [audiences, materials] = await Promise.all([callCloud('audiences', 'list', {}), callCloud('materials', 'list', {})]);
      const sendable = materials.filter((m) => m.kind !== 'script' && !m.archived);
      const d = get().draft;
      set({
        audiences,
        materials: sendable,
        choicesLoad: 'ready',
        draft: { ...d, audienceId: d.audienceId ?? audiences[0]?.id, materialId: d.materialId ?? (sendable.find((m) => m.kind === 'invitation') ?? sendable[0])?.id },
      });
    } catch (e) {
      set({ choicesLoad: 'error', choicesError: toCloudError(e) });
    }
  },
  edit: (patch) => set({ draft: { ...get().draft, ...patch }, saveError: undefined }),
  saveAndIssue: async (now) => {
    const d = get().draft;
    if (get().saving || !d.audienceId || !d.materialId || !d.name.trim()) return undefined;
    set({ saving: true, saveError: undefined, notice: undefined });
    const strategyId = newId();
    const start = chinaDayStart(now);
    try {
      await callCloud('strategies', 'save', {
        strategyId,
        expectedVersion: 0,
        name: d.name.trim(),
        audienceId: d.audienceId,
        materialId: d.materialId,
        channel: d.channel,
        window: { startAt: start, endAt: start + (d.days - 1) * DAY, fromMinute: d.fromMinute, toMinute: d.toMinute, ...(d.quietNoon ? { quiet: { fromMinute: 12 * 60, toMinute: 13 * 60 + 30 } } : {}) },
        rules: rulesOf(d),
        holdoutPercent: d.holdoutPercent,
      });
      const r = await callCloud('strategies', 'issue', { strategyId });
      set({ saving: false, notice: r.message, draft: EMPTY_DRAFT });
      return strategyId;
    } catch (e) {
      set({ saving: false, saveError: toCloudError(e) });
      return undefined;
    }
  },
  loadProgress: async (strategyId, quiet = false) => {
    if (!quiet) set({ progressLoad: 'loading', progressError: undefined });
    try {
      set({ progress: await callCloud('strategies', 'progress', { strategyId }), progressLoad: 'ready', progressError: undefined });
    } catch (e) {
      if (!quiet || !get().progress) set({ progressLoad: 'error', progressError: toCloudError(e) });
    }
  },
}));

registerReset(() => useStrategyStore.setState({ home: undefined, homeLoad: 'idle', list: [], listLoad: 'idle', audiences: [], materials: [], choicesLoad: 'idle', draft: EMPTY_DRAFT, saving: false, notice: undefined, progress: undefined, progressLoad: 'idle' }));
