import { create } from 'zustand';
import { randomId } from '@/platform/contact';
import { callCloud } from '@/services/call-cloud';
import { toCloudError } from '@/services/cloud-error';
import { registerReset } from './registry';

export type ScheduleKind = 'follow_up' | 'test_drive' | 'store_visit';
/** Day offset from today (China time) and hour. */
export interface ScheduleSlot {
  days: number;
  hour: number;
}

interface ScheduleState {
  visible: boolean;
  customerId?: string;
  kind: ScheduleKind;
  slot: ScheduleSlot;
  note: string;
  /** One per opening: a double tap or a retry makes one task. */
  taskId: string;
  saving: boolean;
  error?: string;
  open(customerId: string): void;
  close(): void;
  set(fields: Partial<Pick<ScheduleState, 'kind' | 'slot' | 'note'>>): void;
  /** Saves the 下次跟进 or appointment; resolves the Chinese confirmation, or undefined on failure. */
  save(now: number): Promise<string | undefined>;
}

/** The time a slot names: `days` after today at `hour`, China time. */
export function slotTime(slot: ScheduleSlot, now: number): number {
  const CST = 8 * 3_600_000;
  const DAY = 86_400_000;
  const today = Math.floor((now + CST) / DAY) * DAY - CST;
  return today + slot.days * DAY + slot.hour * 3_600_000;
}

const initial = { visible: false, customerId: undefined, kind: 'follow_up' as ScheduleKind, slot: { days: 1, hour: 10 }, note: '', taskId: '', saving: false, error: undefined };

export const useScheduleStore = create<ScheduleState>()((set, get) => ({
  ...initial,
  open: (customerId) => set({ ...initial, visible: true, customerId, taskId: randomId() }),
  close: () => set({ visible: false }),
  set: (fields) => set({ ...fields, error: undefined }),
  async save(now) {
    const { customerId, kind, slot, note, taskId } = get();
    if (!customerId || get().saving) return undefined;
    set({ saving: true, error: undefined });
    try {
      const task = await callCloud('tasks', 'schedule', {
        taskId,
        customerId,
        kind: kind === 'follow_up' ? 'next_follow_up' : 'appointment',
        ...(kind === 'follow_up' ? {} : { appointment: kind }),
        at: Math.max(slotTime(slot, now), now + 60_000),
        note,
      });
      set({ visible: false });
      return `已设置${task.title}：${task.dueLabel}`;
    } catch (e) {
      set({ error: toCloudError(e).userMessage });
      return undefined;
    } finally {
      set({ saving: false });
    }
  },
}));

registerReset(() => useScheduleStore.setState(initial));
