export default definePageConfig({ navigationBarTitleText: '营销策略' });
