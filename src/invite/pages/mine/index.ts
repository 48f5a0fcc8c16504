/**
 * 我的报名 on weapp: a native page of the independent `invite` package (see the invitation's
 * index.ts). The customer is known by the OPENID the platform vouches for, or by the tracked link
 * they came with; cancel is one tap and a confirm; consent to tracking can be withdrawn here.
 */
import type { MyRegistration, MyRegistrations } from '@/contract';
import { cancelConfirm, myRegistrationItems, myRegistrationsEmpty, privacyNotice, replyData, type MyRegistrationItem } from '@/features/invite/invitation-view';
import { CloudError, toCloudError } from '@/services/cloud-error';

interface Cloud {
  init(options: { env?: string; traceUser?: boolean }): void;
  callFunction(options: { name: string; data: { action: string; params: unknown } }): Promise<{ result?: unknown }>;
}
declare const wx: {
  cloud: Cloud;
  showModal?(o: { title: string; content: string; confirmText: string; cancelText: string; success(r: { confirm: boolean }): void }): void;
  showToast?(o: { title: string; icon: 'none' | 'success' }): void;
};

type View = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; items: MyRegistrationItem[]; empty: typeof myRegistrationsEmpty; tracking: boolean };
interface Data {
  view: View;
  notice: typeof privacyNotice;
}
interface Instance {
  data: Data;
  setData(d: Partial<Data>): void;
  link: string;
  regs: MyRegistration[];
  load(): Promise<void>;
}
declare function Page(options: Partial<Instance> & ThisType<Instance> & { data: Data } & Record<string, unknown>): void;

let cloudReady = false;
async function call<T>(action: string, params: unknown): Promise<T> {
  if (!cloudReady) {
    wx.cloud.init(CLOUD_ENV_ID ? { env: CLOUD_ENV_ID, traceUser: true } : { traceUser: true });
    cloudReady = true;
  }
  let result: unknown;
  try {
    ({ result } = await wx.cloud.callFunction({ name: 'activities', data: { action, params } }));
  } catch (cause) {
    throw new CloudError('NETWORK', `cloud.callFunction activities (${action}) failed: ${String(cause)}`);
  }
  return replyData<T>(result);
}
const linked = (link: string) => (link ? { link } : {});

Page({
  data: { view: { status: 'loading' }, notice: privacyNotice },
  link: '',
  onLoad(query: Record<string, string | undefined>) {
    this.link = query.t ? decodeURIComponent(query.t) : '';
    void this.load();
  },
  async load() {
    this.setData({ view: { status: 'loading' } });
    try {
      const mine = await call<MyRegistrations>('mine', linked(this.link));
      this.regs = mine.items;
      this.setData({ view: { status: 'ready', items: myRegistrationItems(mine.items, Date.now()), empty: myRegistrationsEmpty, tracking: mine.known && mine.tracking === 'granted' } });
    } catch (e) {
      this.setData({ view: { status: 'error', message: toCloudError(e).userMessage } });
    }
  },
  retry() {
    void this.load();
  },
  cancel(e: { currentTarget: { dataset: { id: string } } }) {
    const activityId = e.currentTarget.dataset.id;
    wx.showModal?.({
      title: cancelConfirm.title,
      content: cancelConfirm.body,
      confirmText: cancelConfirm.confirm,
      cancelText: cancelConfirm.keep,
      success: ({ confirm }) => {
        if (!confirm) return;
        void call<MyRegistration>('cancel', { activityId, ...linked(this.link) })
          .then(() => wx.showToast?.({ title: '已取消报名', icon: 'success' }))
          .then(() => this.load())
          .catch((err) => wx.showToast?.({ title: toCloudError(err).userMessage, icon: 'none' }));
      },
    });
  },
  withdraw() {
    void call('consent', { ...linked(this.link), granted: false, noticeVersion: privacyNotice.version })
      .then(() => wx.showToast?.({ title: privacyNotice.withdrawn, icon: 'none' }))
      .then(() => this.load())
      .catch((err) => wx.showToast?.({ title: toCloudError(err).userMessage, icon: 'none' }));
  },
});
