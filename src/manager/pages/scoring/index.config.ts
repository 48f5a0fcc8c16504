export default definePageConfig({ navigationBarTitleText: '评分模型', enablePullDownRefresh: true });
