import { create } from 'zustand';
import type { CustomerProfile, FirstScreen, FollowUpView, GradeInfoView, IntentGrade, Page, TimelineItem, TouchpointType } from '@/contract';
import { gradeHint } from '@/lib/labels';
import { callCloud } from '@/services/call-cloud';
import { toCloudError, type CloudError } from '@/services/cloud-error';
import { emptyPaged, loadFirstPage, loadNextPage, type LoadStatus, type Paged } from './paged';
import { registerReset } from './registry';

/** The page sizes the first screen asks for (config/early-calls.ts asks the same from index.html). */
export const TIMELINE_PAGE = 20;
export const FOLLOW_UPS_PAGE = 10;

/**
 * The one call that loads what a customer's page shows first (the profile, the newest timeline
 * and follow-ups), of a customer named by id or by the chat's WeCom contact.
 */
export const firstScreenOf = (who: { customerId: string } | { externalUserId: string }): Promise<FirstScreen> =>
  callCloud('customers', 'firstScreen', { ...who, timelineLimit: TIMELINE_PAGE, followUpsLimit: FOLLOW_UPS_PAGE });

interface ProfileState {
  customerId?: string;
  profile?: CustomerProfile;
  status: LoadStatus;
  error?: CloudError;
  timeline: Paged<TimelineItem>;
  /** Which timeline filter chip is on ('all' or a group id) and the types it stands for. */
  timelineFilter: string;
  timelineTypes?: TouchpointType[];
  followUps: Paged<FollowUpView>;
  /** The grade being saved (shown at once), and why the last save failed. */
  gradeError?: CloudError;
  /**
   * Shows the customer `customerId`; loads only what is not already on screen. `first`: their
   * first screen, already asked for by whoever found the customer (the chat's contact).
   */
  open(customerId: string, first?: Promise<FirstScreen>): Promise<void>;
  reload(): Promise<void>;
  loadMoreTimeline(): Promise<void>;
  retryTimeline(): Promise<void>;
  setTimelineFilter(filter: string, types?: TouchpointType[]): Promise<void>;
  loadMoreFollowUps(): Promise<void>;
  retryFollowUps(): Promise<void>;
  /** The consultant's grade, or null to clear it; resolves false when the server refused. */
  setGrade(grade: IntentGrade | null): Promise<boolean>;
  /** Recording that the customer withdrew consent to sharing with the OEM: in flight, and why it failed. */
  withdrawing: boolean;
  withdrawError?: CloudError;
  /** Records the customer's withdrawal of consent to sharing with the OEM; resolves true when recorded. */
  withdrawSharing(): Promise<boolean>;
  /** One beat of the live view: asks whether the customer changed and, if so, refreshes. */
  checkPulse(): Promise<void>;
  /** Re-reads the profile and the newest follow-ups and timeline entries without a spinner. */
  refresh(): Promise<void>;
}

const initial = {
  customerId: undefined,
  profile: undefined,
  status: 'idle' as LoadStatus,
  error: undefined,
  timelineFilter: 'all',
  timelineTypes: undefined,
  gradeError: undefined,
  withdrawing: false,
  withdrawError: undefined,
};

/**
 * Puts a fresh first page in front of what is on screen: with only the first page shown it
 * replaces it; with more pages loaded it prepends what is new and keeps the reader's place.
 */
function withFreshFirstPage<T extends { id: string }>(current: Paged<T>, page: Page<T>, pageSize: number): Paged<T> {
  if (current.status !== 'ready' || current.items.length <= pageSize) {
    return { ...current, items: page.items, nextCursor: page.nextCursor, status: 'ready', error: undefined };
  }
  const seen = new Set(current.items.map((item) => item.id));
  return { ...current, items: [...page.items.filter((item) => !seen.has(item.id)), ...current.items] };
}

const optimisticGrade = (grade: IntentGrade, previous: GradeInfoView): GradeInfoView => ({
  ...previous,
  grade,
  source: 'consultant',
  label: `${grade}级（${gradeHint[grade]}）`,
  stale: false,
});

export const useProfileStore = create<ProfileState>()((set, get) => {
  const readTimeline = () => get().timeline;
  const writeTimeline = (timeline: Paged<TimelineItem>) => set({ timeline });
  const fetchTimeline = (cursor?: string) => {
    const { customerId = '', timelineTypes } = get();
    return callCloud('customers', 'timeline', {
      customerId,
      limit: TIMELINE_PAGE,
      ...(cursor ? { cursor } : {}),
      ...(timelineTypes ? { types: timelineTypes } : {}),
    });
  };
  const readFollowUps = () => get().followUps;
  const writeFollowUps = (followUps: Paged<FollowUpView>) => set({ followUps });
  const fetchFollowUps = (cursor?: string) =>
    callCloud('customers', 'followUps', { customerId: get().customerId ?? '', limit: FOLLOW_UPS_PAGE, ...(cursor ? { cursor } : {}) });

  const loadProfile = async (customerId: string) => {
    set({ status: 'loading', error: undefined });
    try {
      const profile = await callCloud('customers', 'profile', { customerId });
      if (get().customerId === customerId) set({ profile, status: 'ready' });
    } catch (e) {
      if (get().customerId === customerId) set({ status: 'error', error: toCloudError(e) });
    }
  };

  /**
   * The profile and both lists' first pages. Unfiltered (what a customer's page opens with) in one
   * call (customers.firstScreen): one round trip and one scope check instead of three; with a
   * timeline filter on, three calls.
   */
  const loadAll = async (customerId: string, first?: Promise<FirstScreen>) => {
    if (get().timelineTypes && !first) {
      await Promise.all([
        loadProfile(customerId),
        loadFirstPage(readTimeline, writeTimeline, fetchTimeline),
        loadFirstPage(readFollowUps, writeFollowUps, fetchFollowUps),
      ]);
      return;
    }
    const starting = <T>(list: Paged<T>): Paged<T> => ({ ...list, generation: list.generation + 1, status: 'loading', error: undefined, moreStatus: 'idle', moreError: undefined });
    set({ status: 'loading', error: undefined, timeline: starting(get().timeline), followUps: starting(get().followUps) });
    const { generation: timelineGeneration } = get().timeline;
    const { generation: followUpsGeneration } = get().followUps;
    // Each part lands unless the customer, or that list's load (a filter picked meanwhile), changed.
    const land = (profile: Partial<ProfileState>, timeline: Partial<Paged<TimelineItem>>, followUps: Partial<Paged<FollowUpView>>) => {
      if (get().customerId !== customerId) return;
      set({
        ...profile,
        ...(get().timeline.generation === timelineGeneration ? { timeline: { ...get().timeline, ...timeline } } : {}),
        ...(get().followUps.generation === followUpsGeneration ? { followUps: { ...get().followUps, ...followUps } } : {}),
      });
    };
    try {
      const screen = await (first ?? firstScreenOf({ customerId }));
      const ready = <T>(page: Page<T>) => ({ items: page.items, nextCursor: page.nextCursor, status: 'ready' as const });
      land({ profile: screen.profile, status: 'ready' }, ready(screen.timeline), ready(screen.followUps));
    } catch (e) {
      const error = toCloudError(e);
      land({ status: 'error', error }, { status: 'error', error }, { status: 'error', error });
    }
  };

  /** Replaces a list's newest page unless the customer or the list's load changed meanwhile. */
  const refreshList = async <T extends { id: string }>(
    read: () => Paged<T>,
    write: (next: Paged<T>) => void,
    fetchPage: (cursor?: string) => Promise<Page<T>>,
    pageSize: number,
  ) => {
    const { customerId } = get();
    const { generation } = read();
    const page = await fetchPage(undefined);
    if (get().customerId !== customerId || read().generation !== generation) return;
    write(withFreshFirstPage(read(), page, pageSize));
  };

  const refresh = async () => {
    const { customerId } = get();
    if (!customerId) return;
    await Promise.allSettled([
      callCloud('customers', 'profile', { customerId }).then((profile) => {
        if (get().customerId === customerId) set({ profile, status: 'ready', error: undefined });
      }),
      refreshList(readTimeline, writeTimeline, fetchTimeline, TIMELINE_PAGE),
      refreshList(readFollowUps, writeFollowUps, fetchFollowUps, FOLLOW_UPS_PAGE),
    ]);
  };

  return {
    ...initial,
    timeline: emptyPaged<TimelineItem>(),
    followUps: emptyPaged<FollowUpView>(),
    open: async (customerId, first) => {
      const current = get();
      if (current.customerId === customerId && current.status !== 'error' && current.status !== 'idle') return;
      set({
        ...initial,
        customerId,
        timeline: { ...emptyPaged<TimelineItem>(), generation: current.timeline.generation },
        followUps: { ...emptyPaged<FollowUpView>(), generation: current.followUps.generation },
      });
      await loadAll(customerId, first);
    },
    reload: async () => {
      const { customerId } = get();
      if (customerId) await loadAll(customerId);
    },
    loadMoreTimeline: () => loadNextPage(readTimeline, writeTimeline, fetchTimeline),
    retryTimeline: () => loadFirstPage(readTimeline, writeTimeline, fetchTimeline),
    setTimelineFilter: async (filter, types) => {
      if (filter === get().timelineFilter) return;
      set({ timelineFilter: filter, timelineTypes: types, timeline: { ...emptyPaged<TimelineItem>(), generation: get().timeline.generation } });
      await loadFirstPage(readTimeline, writeTimeline, fetchTimeline);
    },
    loadMoreFollowUps: () => loadNextPage(readFollowUps, writeFollowUps, fetchFollowUps),
    retryFollowUps: () => loadFirstPage(readFollowUps, writeFollowUps, fetchFollowUps),
    setGrade: async (grade) => {
      const { customerId, profile } = get();
      if (!customerId || !profile) return false;
      const before = profile;
      // The badge changes as soon as the consultant picks; the server's view then replaces it.
      if (grade) set({ profile: { ...profile, grade, gradeInfo: optimisticGrade(grade, profile.gradeInfo) } });
      set({ gradeError: undefined });
      try {
        const gradeInfo = await callCloud('customers', 'setGrade', { customerId, grade });
        const latest = get().profile;
        if (get().customerId === customerId && latest) set({ profile: { ...latest, grade: gradeInfo.grade, gradeInfo } });
        return true;
      } catch (e) {
        if (get().customerId === customerId) set({ profile: before, gradeError: toCloudError(e) });
        return false;
      }
    },
    withdrawSharing: async () => {
      const { customerId, withdrawing } = get();
      if (!customerId || withdrawing) return false;
      set({ withdrawing: true, withdrawError: undefined });
      try {
        await callCloud('customers', 'withdrawConsent', { customerId, purpose: 'oem_sharing' });
        if (get().customerId === customerId) {
          set({ withdrawing: false });
          await refresh();
        }
        return true;
      } catch (e) {
        if (get().customerId === customerId) set({ withdrawing: false, withdrawError: toCloudError(e) });
        return false;
      }
    },
    checkPulse: async () => {
      const { customerId, profile } = get();
      if (!customerId || !profile) return;
      const pulse = await callCloud('customers', 'pulse', { customerId });
      const now = get();
      if (now.customerId !== customerId || !now.profile || pulse.updatedAt === now.profile.updatedAt) return;
      await refresh();
    },
    refresh,
  };
});

registerReset(() =>
  useProfileStore.setState({
    ...initial,
    timeline: { ...emptyPaged<TimelineItem>(), generation: useProfileStore.getState().timeline.generation + 1 },
    followUps: { ...emptyPaged<FollowUpView>(), generation: useProfileStore.getState().followUps.generation + 1 },
  }),
);
