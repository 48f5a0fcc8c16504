/**
 * The weapp invitation: a native mini-program page (Taro compiles a page with an index.wxml
 * beside it as native, without its runtime or React), so the independent `invite` package opens
 * on its own and stays small. H5 takes index.h5.ts instead. The words come from the same code as
 * the React page (features/invite/invitation-view); this file is only the WeChat binding, which
 * is why it, like src/platform, touches `wx` directly.
 */
import type { ActivityView } from '@/contract';
import {
  invitationLoading,
  invitationState,
  replyData,
  type InvitationState,
} from '@/features/invite/invitation-view';
import { CloudError } from '@/services/cloud-error';

/** The part of the mini-program API this page uses (the platform supplies the globals). */
interface Cloud {
  init(options: { env?: string; traceUser?: boolean }): void;
  callFunction(options: { name: string; data: { action: string; params: unknown } }): Promise<{ result?: unknown }>;
}
declare const wx: { cloud: Cloud };

interface Data {
  state: InvitationState;
}
interface Instance {
  data: Data;
  setData(data: Partial<Data>): void;
  /** Which activity the page was opened for ('' = the next upcoming one). */
  activityId: string;
  /** Only the newest load may set the state (a retry can overtake a slow first try). */
  loads: number;
  load(): Promise<void>;
  retry(): void;
}
type Options = Partial<Instance> & ThisType<Instance> & { data: Data; onLoad(query: Record<string, string | undefined>): void };
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

Page({
  data: { state: invitationLoading },
  activityId: '',
  loads: 0,
  onLoad(query) {
    this.activityId = query.id ?? '';
    void this.load();
  },
  async load() {
    const mine = ++this.loads;
    this.setData({ state: invitationLoading });
    let next: InvitationState;
    try {
      next = invitationState({ activity: await fetchActivity(this.activityId) });
    } catch (error) {
      next = invitationState({ error });
    }
    if (mine === this.loads) this.setData({ state: next });
  },
  retry() {
    void this.load();
  },
});
