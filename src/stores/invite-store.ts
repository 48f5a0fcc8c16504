import { create } from 'zustand';
import type { MyRegistration, TrackingConsent } from '@/contract';
import { afterRegister, pageId, privacyNotice, trackedInvitation, type RegistrationForm, type TrackedInvitation } from '@/lib/invitation';
import { customerDevice } from '@/platform/customer-device';
import { callCloud } from '@/services/call-cloud';
import { toCloudError, type CloudError } from '@/services/cloud-error';
import type { LoadStatus } from './paged';
import { registerReset } from './registry';

/**
 * The customer's tracked invitation on H5: opened with the link's token and this browser's
 * device token, consent, registration and the visit's heartbeats. The server decides what is
 * recorded (only with consent); this store only says what happened.
 */
interface InviteState {
  link?: string;
  activityId?: string;
  /** The current visit (a new one after the page comes back or consent is given). */
  visitId?: string;
  status: LoadStatus;
  error?: CloudError;
  view?: TrackedInvitation;
  /** A call in flight (consent, registration): its buttons wait. */
  busy: boolean;
  /** The customer said 暂不同意 to the notice on this visit: it is not asked again until they want. */
  declined: boolean;
  decline(): void;
  open(link: string): Promise<void>;
  /** Starts a new visit of the same link (the page showed again), refreshing places left. */
  revisit(): Promise<void>;
  consent(granted: boolean): Promise<void>;
  register(form: RegistrationForm): Promise<string>;
  beat(seconds: number, final: boolean): Promise<void>;
  share(): Promise<void>;
}

const initial = { link: undefined, activityId: undefined, visitId: undefined, status: 'idle' as LoadStatus, error: undefined, view: undefined, busy: false, declined: false };

export const useInviteStore = create<InviteState>()((set, get) => ({
  ...initial,
  decline: () => set({ declined: true }),
  open: async (link) => {
    const visitId = pageId();
    set({ ...initial, link, visitId, status: 'loading' });
    try {
      const opened = await callCloud('activities', 'open', { link, device: customerDevice(), visitId });
      if (get().visitId === visitId) set({ status: 'ready', activityId: opened.activity.id, view: trackedInvitation(opened, Date.now()) });
    } catch (e) {
      if (get().visitId === visitId) set({ status: 'error', error: toCloudError(e) });
    }
  },
  revisit: async () => {
    const { link } = get();
    if (!link) return;
    const visitId = pageId();
    set({ visitId });
    try {
      const opened = await callCloud('activities', 'open', { link, device: customerDevice(), visitId });
      if (get().visitId === visitId) set({ view: trackedInvitation(opened, Date.now()) });
    } catch {
      // The page keeps what it shows; the next heartbeat or action tells if something is wrong.
    }
  },
  consent: async (granted) => {
    const { link } = get();
    if (!link) return;
    set({ busy: true });
    try {
      await callCloud('activities', 'consent', { link, device: customerDevice(), granted, noticeVersion: privacyNotice.version });
      const view = get().view;
      if (view) set({ view: { ...view, consent: granted ? 'granted' : 'withdrawn' } });
      // Tracking starts with a visit of its own, now that it may be recorded.
      if (granted) await get().revisit();
    } finally {
      set({ busy: false });
    }
  },
  register: async (form) => {
    const { link, activityId, view } = get();
    if (!link || !activityId || !view) return '';
    set({ busy: true });
    try {
      const phone = form.phone.replace(/\s/g, '');
      const result = await callCloud('activities', 'register', { activityId, link, device: customerDevice(), name: form.name.trim(), ...(phone ? { phone } : {}) });
      const { next, toast } = afterRegister(view, result);
      set({ view: next });
      return toast;
    } finally {
      set({ busy: false });
    }
  },
  beat: async (seconds, final) => {
    const { link, visitId, view } = get();
    if (!link || !visitId || view?.consent !== 'granted') return;
    try {
      await callCloud('activities', 'beat', { link, device: customerDevice(), visitId, seconds, final });
    } catch {
      // A lost heartbeat is made good by the next one (it carries the visit's total).
    }
  },
  share: async () => {
    const { link, view } = get();
    if (!link || view?.consent !== 'granted') return;
    try {
      await callCloud('activities', 'share', { link, device: customerDevice(), shareId: pageId() });
    } catch {
      // Sharing itself does not depend on the record.
    }
  },
}));

registerReset(() => useInviteStore.setState(initial));

/** 我的报名: the customer's registrations (by the link on H5), cancel, and their consent to tracking. */
interface MyRegistrationsState {
  link?: string;
  status: LoadStatus;
  error?: CloudError;
  items: MyRegistration[];
  known: boolean;
  tracking: TrackingConsent;
  busy: boolean;
  load(link?: string): Promise<void>;
  cancel(activityId: string): Promise<void>;
  setTracking(granted: boolean): Promise<void>;
}

const mineInitial = { link: undefined, status: 'idle' as LoadStatus, error: undefined, items: [] as MyRegistration[], known: false, tracking: 'unasked' as TrackingConsent, busy: false };
const linked = (link?: string) => (link ? { link, device: customerDevice() } : { device: customerDevice() });

export const useMyRegistrationsStore = create<MyRegistrationsState>()((set, get) => ({
  ...mineInitial,
  load: async (link) => {
    set({ ...mineInitial, link, status: 'loading' });
    try {
      const mine = await callCloud('activities', 'mine', linked(link));
      set({ status: 'ready', items: mine.items, known: mine.known, tracking: mine.tracking });
    } catch (e) {
      set({ status: 'error', error: toCloudError(e) });
    }
  },
  cancel: async (activityId) => {
    set({ busy: true });
    try {
      const cancelled = await callCloud('activities', 'cancel', { activityId, ...linked(get().link) });
      set({ items: get().items.map((r) => (r.activityId === activityId ? cancelled : r)) });
    } finally {
      set({ busy: false });
    }
  },
  setTracking: async (granted) => {
    set({ busy: true });
    try {
      await callCloud('activities', 'consent', { ...linked(get().link), granted, noticeVersion: privacyNotice.version });
      set({ tracking: granted ? 'granted' : 'withdrawn' });
    } finally {
      set({ busy: false });
    }
  },
}));

registerReset(() => useMyRegistrationsStore.setState(mineInitial));
