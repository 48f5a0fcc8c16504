export default definePageConfig({ navigationBarTitleText: '素材库', enablePullDownRefresh: true });
