export default definePageConfig({ navigationBarTitleText: '我的报名', navigationBarBackgroundColor: '#1e3a8a', navigationBarTextStyle: 'white' });
