export default definePageConfig({ navigationBarTitleText: '新建策略' });
