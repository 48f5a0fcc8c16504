export default definePageConfig({ navigationBarTitleText: '策略进度' });
