export default definePageConfig({ navigationBarTitleText: '主机厂同步', enablePullDownRefresh: true });
