export default definePageConfig({ navigationBarTitleText: '门店概览', enablePullDownRefresh: true });
