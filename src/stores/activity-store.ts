import { create } from 'zustand';
import type { ActivityView } from '@/contract';
import { callCloud } from '@/services/call-cloud';
import { toCloudError, type CloudError } from '@/services/cloud-error';
import type { LoadStatus } from './paged';
import { registerReset } from './registry';

interface ActivityState {
  /** What was asked for: an activity id, or '' for "the next upcoming one". */
  requested?: string;
  activity?: ActivityView;
  status: LoadStatus;
  error?: CloudError;
  /** Loads activity `activityId`, or the first upcoming activity when it is absent. */
  load(activityId?: string): Promise<void>;
  reload(): Promise<void>;
}

const initial = { requested: undefined, activity: undefined, status: 'idle' as LoadStatus, error: undefined };

/** The first upcoming activity's id, if there is one (the customer's landing after sign-in). */
export async function firstUpcomingActivityId(): Promise<string | undefined> {
  const upcoming = await callCloud('activities', 'upcoming', {});
  return upcoming[0]?.id;
}

export const useActivityStore = create<ActivityState>()((set, get) => ({
  ...initial,
  load: async (activityId) => {
    const requested = activityId ?? '';
    set({ requested, activity: undefined, status: 'loading', error: undefined });
    try {
      const activity = requested
        ? await callCloud('activities', 'get', { activityId: requested })
        : (await callCloud('activities', 'upcoming', {}))[0];
      if (get().requested === requested) set({ activity, status: 'ready' });
    } catch (e) {
      if (get().requested === requested) set({ status: 'error', error: toCloudError(e) });
    }
  },
  reload: () => get().load(get().requested || undefined),
}));

registerReset(() => useActivityStore.setState(initial));
