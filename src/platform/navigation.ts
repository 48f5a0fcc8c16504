import Taro from '@tarojs/taro';

/** Every page of the app, in one place, so a move is one edit. */
export const routes = {
  leads: '/pages/leads/index',
  tasks: '/pages/tasks/index',
  me: '/pages/me/index',
  customer: '/pages/customer/index',
  sidebar: '/pages/sidebar/index',
  signIn: '/pages/sign-in/index',
  notFound: '/pages/not-found/index',
  managerHome: '/manager/pages/home/index',
  managerAssign: '/manager/pages/assign/index',
  managerMerges: '/manager/pages/merges/index',
  managerScoring: '/manager/pages/scoring/index',
  managerSync: '/manager/pages/sync/index',
  managerAudiences: '/manager/pages/audiences/index',
  managerMaterials: '/manager/pages/materials/index',
  managerStrategies: '/manager/pages/strategies/index',
  managerStrategyEdit: '/manager/pages/strategy-edit/index',
  managerStrategy: '/manager/pages/strategy/index',
  inviteActivity: '/invite/pages/activity/index',
  workBatch: '/work/pages/batch/index',
  inviteMine: '/invite/pages/mine/index',
} as const;

export type Route = (typeof routes)[keyof typeof routes];

const tabRoutes: ReadonlySet<Route> = new Set<Route>([routes.leads, routes.tasks, routes.me]);

function withQuery(route: Route, query?: Record<string, string>): string {
  const pairs = Object.entries(query ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  return pairs.length ? `${route}?${pairs.join('&')}` : route;
}

/** Opens a page on top of the current one (tab pages are switched to instead). */
export function openPage(route: Route, query?: Record<string, string>): void {
  if (tabRoutes.has(route)) {
    void Taro.switchTab({ url: route });
    return;
  }
  void Taro.navigateTo({ url: withQuery(route, query) });
}

/**
 * Replaces the whole page stack with one page, e.g. after signing in or out. In a browser the
 * page it leaves is replaced in the history too, so the back button cannot return to it.
 */
export function restartAt(route: Route, query?: Record<string, string>): void {
  if (tabRoutes.has(route)) {
    void Taro.switchTab({ url: route });
    return;
  }
  void Taro.reLaunch({ url: withQuery(route, query) });
}

/**
 * Back to the page this one was opened from; a page opened directly (a shared link, a deep
 * link in the sidebar) has none, so it goes to `home` instead.
 */
export function goBack(home: Route, query?: Record<string, string>): void {
  if (Taro.getCurrentPages().length > 1) {
    void Taro.navigateBack({ delta: 1 });
    return;
  }
  restartAt(home, query);
}

/** Calls `onUnknown` when the app is asked for a page it does not have. */
export function onUnknownRoute(onUnknown: () => void): void {
  Taro.onPageNotFound(() => onUnknown());
}
