export default definePageConfig({ navigationBarTitleText: '活动邀请', navigationBarBackgroundColor: '#1e3a8a', navigationBarTextStyle: 'white' });
