// Read in Node at build time: the demo sign-in page exists only in the local demo build.
const demo = process.env.SIDEKICK_DEMO === '1';

export default defineAppConfig({
  pages: [
    'pages/leads/index',
    'pages/tasks/index',
    'pages/me/index',
    'pages/customer/index',
    'pages/sidebar/index',
    'pages/not-found/index',
    ...(demo ? ['pages/sign-in/index'] : []),
  ],
  subPackages: [
    { root: 'manager', pages: ['pages/home/index', 'pages/assign/index', 'pages/merges/index', 'pages/scoring/index', 'pages/sync/index', 'pages/materials/index', 'pages/audiences/index', 'pages/strategies/index', 'pages/strategy-edit/index', 'pages/strategy/index'] },
    // The inbox's heavier flows (a strategy's batch send), loaded when first opened.
    { root: 'work', pages: ['pages/batch/index'] },
    // Opens from a shared invitation without downloading the main package.
    { root: 'invite', pages: ['pages/activity/index', 'pages/mine/index'], independent: true },
  ],
  tabBar: {
    color: '#86909c',
    selectedColor: '#1d4ed8',
    backgroundColor: '#ffffff',
    borderStyle: 'white',
    list: [
      { pagePath: 'pages/leads/index', text: '线索', iconPath: 'assets/tab/leads.png', selectedIconPath: 'assets/tab/leads-active.png' },
      { pagePath: 'pages/tasks/index', text: '任务', iconPath: 'assets/tab/tasks.png', selectedIconPath: 'assets/tab/tasks-active.png' },
      { pagePath: 'pages/me/index', text: '我的', iconPath: 'assets/tab/me.png', selectedIconPath: 'assets/tab/me-active.png' },
    ],
  },
  // Inject only the code of the pages and components in use (WeChat's code-quality check asks for it).
  lazyCodeLoading: 'requiredComponents',
  sitemapLocation: 'sitemap.json',
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '销售助手',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f5f6f8',
  },
});
