/**
 * The weapp invitation: a native mini-program page (Taro compiles a page with an index.wxml
 * beside it as native, without its runtime or React), so the independent `invite` package opens
 * on its own and stays small. H5 takes index.h5.ts instead. The words and steps come from the
 * same code as the React page (features/invite/invitation-view); this file is only the WeChat
 * binding, which is why it, like src/platform, touches `wx` directly.
 *
 * With a tracked link (`t`): the platform's privacy authorisation is the tap that agrees to the
 * notice, and the choice goes to the consent ledger; registration is the getPhoneNumber button
 * (the platform vouches for the phone); heartbeats every 15 s on screen and a last one on hide
 * or unload; a share passes the same link on (the sharer is credited).
 */
import type { ActivityView, InvitationOpen, RegisterResult } from '@/contract';
import {
  afterRegister,
  DwellClock,
  HEARTBEAT_MS,
  invitationLoading,
  invitationState,
  pageId,
  privacyNotice,
  replyData,
  trackedInvitation,
  type InvitationState,
  type TrackedInvitation,
} from '@/features/invite/invitation-view';
import { CloudError, toCloudError } from '@/services/cloud-error';

/** The part of the mini-program API this page uses (the platform supplies the globals). */
interface Cloud {
  init(options: { env?: string; traceUser?: boolean }): void;
  callFunction(options: { name: string; data: { action: string; params: unknown } }): Promise<{ result?: unknown }>;
}
interface Wx {
  cloud: Cloud;
  openLocation?(o: { latitude: number; longitude: number; name: string; address: string }): void;
  makePhoneCall?(o: { phoneNumber: string }): void;
  showToast?(o: { title: string; icon: 'none' | 'success' }): void;
  navigateTo?(o: { url: string }): void;
  getPrivacySetting?(o: { success(r: { needAuthorization: boolean }): void }): void;
}
declare const wx: Wx;

interface Data {
  state: InvitationState;
  /** With a tracked link: consent and registration. */
  tracked?: TrackedInvitation;
  notice: typeof privacyNotice;
  /** The privacy notice is showing. */
  asking: boolean;
  busy: boolean;
}
interface Instance {
  data: Data;
  setData(data: Partial<Data>): void;
  /** Which activity the page was opened for ('' = the next upcoming one). */
  activityId: string;
  /** The tracked link's token, when opened from one. */
  link: string;
  visitId: string;
  clock: DwellClock;
  timer?: ReturnType<typeof setInterval>;
  /** Only the newest load may set the state (a retry can overtake a slow first try). */
  loads: number;
  load(): Promise<void>;
  retry(): void;
  startBeats(): void;
  stopBeats(): void;
  answer(granted: boolean): Promise<void>;
}
type Options = Partial<Instance> &
  ThisType<Instance> & { data: Data; onLoad(query: Record<string, string | undefined>): void } & Record<string, unknown>;
declare function Page(options: Options): void;

// Opened from a shared card, this package runs without app.js: it sets up the cloud itself.
// Only the first init of a mini-program takes effect, so the main package's own init is harmless.
let cloudReady = false;
function cloud(): Cloud {
  if (!cloudReady) {
    wx.cloud.init(CLOUD_ENV_ID ? { env: CLOUD_ENV_ID, traceUser: true } : { traceUser: true });
    cloudReady = true;
  }
  return wx.cloud;
}

async function call<T>(action: string, params: unknown): Promise<T> {
  let result: unknown;
  try {
    ({ result } = await cloud().callFunction({ name: 'activities', data: { action, params } }));
  } catch (cause) {
    throw new CloudError('NETWORK', `cloud.callFunction activities (${action}) failed: ${String(cause)}`);
  }
  return replyData<T>(result);
}

/** The activity asked for, or the first upcoming one (undefined when there is none). */
async function fetchActivity(activityId: string): Promise<ActivityView | undefined> {
  if (activityId) return call<ActivityView>('get', { activityId });
  return (await call<ActivityView[]>('upcoming', {}))[0];
}

const toast = (title: string) => wx.showToast?.({ title, icon: 'none' });

Page({
  data: { state: invitationLoading, notice: privacyNotice, asking: false, busy: false },
  activityId: '',
  link: '',
  visitId: '',
  loads: 0,
  onLoad(query) {
    this.activityId = query.id ?? '';
    this.link = query.t ?? '';
    this.clock = new DwellClock();
    void this.load();
  },
  async load() {
    const mine = ++this.loads;
    this.setData({ state: invitationLoading });
    let next: InvitationState;
    let tracked: TrackedInvitation | undefined;
    try {
      if (this.link) {
        this.visitId = pageId();
        const opened = await call<InvitationOpen>('open', { link: this.link, visitId: this.visitId });
        tracked = trackedInvitation(opened, Date.now());
        next = invitationState({ activity: opened.activity });
      } else {
        next = invitationState({ activity: await fetchActivity(this.activityId) });
      }
    } catch (error) {
      next = invitationState({ error });
    }
    if (mine !== this.loads) return;
    this.setData({ state: next, ...(tracked ? { tracked, asking: tracked.consent === 'ask' } : {}) });
    if (tracked?.consent === 'granted') this.startBeats();
  },
  retry() {
    void this.load();
  },
  startBeats() {
    this.stopBeats();
    this.clock = new DwellClock();
    this.clock.show(Date.now());
    this.timer = setInterval(() => void call('beat', { link: this.link, visitId: this.visitId, seconds: this.clock.seconds(Date.now()), final: false }).catch(() => undefined), HEARTBEAT_MS);
  },
  stopBeats() {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.clock.hide(Date.now());
    void call('beat', { link: this.link, visitId: this.visitId, seconds: this.clock.seconds(Date.now()), final: true }).catch(() => undefined);
  },
  onShow() {
    // Back on screen: a new visit (and live places left).
    if (this.link && this.visitId && !this.timer && this.data.tracked?.consent === 'granted') void this.load();
  },
  onHide() {
    this.stopBeats();
  },
  onUnload() {
    this.stopBeats();
  },
  /** The privacy button (open-type agreePrivacyAuthorization) was tapped: the notice is agreed to. */
  async agree() {
    await this.answer(true);
  },
  async decline() {
    this.setData({ asking: false });
  },
  async answer(granted: boolean) {
    this.setData({ busy: true });
    try {
      await call('consent', { link: this.link, granted, noticeVersion: privacyNotice.version });
      this.setData({ asking: false });
      if (granted) await this.load();
      else {
        this.stopBeats();
        if (this.data.tracked) this.setData({ tracked: { ...this.data.tracked, consent: 'withdrawn' } });
        toast(privacyNotice.withdrawn);
      }
    } catch (e) {
      toast(toCloudError(e).userMessage);
    } finally {
      this.setData({ busy: false });
    }
  },
  async withdraw() {
    await this.answer(false);
  },
  async allowTracking() {
    await this.answer(true);
  },
  /** The getPhoneNumber button: the platform gives a code for the phone, exchanged by the function. */
  async phone(e: { detail: { code?: string } }) {
    const code = e.detail.code;
    const t = this.data.tracked;
    if (!code || !t || this.data.state.status !== 'ready') return;
    this.setData({ busy: true });
    try {
      const activityId = this.activityId || (await call<InvitationOpen>('open', { link: this.link, visitId: this.visitId })).activity.id;
      const result = await call<RegisterResult>('register', { activityId, link: this.link, phoneCode: code });
      const { next, toast: text } = afterRegister(t, result);
      this.setData({ tracked: next });
      toast(text);
    } catch (err) {
      toast(toCloudError(err).userMessage);
    } finally {
      this.setData({ busy: false });
    }
  },
  call() {
    const s = this.data.state;
    if (s.status === 'ready' && s.invitation.phone) wx.makePhoneCall?.({ phoneNumber: s.invitation.phone });
  },
  map() {
    const s = this.data.state;
    if (s.status !== 'ready' || !s.invitation.location) return;
    wx.openLocation?.({ latitude: s.invitation.location.lat, longitude: s.invitation.location.lng, name: s.invitation.storeName, address: s.invitation.address });
  },
  mine() {
    wx.navigateTo?.({ url: `/invite/pages/mine/index${this.link ? `?t=${encodeURIComponent(this.link)}` : ''}` });
  },
  /** Forwarding passes the same link on: whoever opens it next is credited to this customer's send. */
  onShareAppMessage() {
    if (this.link && this.data.tracked?.consent === 'granted') void call('share', { link: this.link, shareId: pageId() }).catch(() => undefined);
    const s = this.data.state;
    return { title: s.status === 'ready' ? s.invitation.title : '活动邀请', path: `/invite/pages/activity/index?${this.link ? `t=${encodeURIComponent(this.link)}` : `id=${this.activityId}`}` };
  },
});
