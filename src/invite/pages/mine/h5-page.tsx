import { View } from '@tarojs/components';
import { TitleBar } from '@/components/title-bar';
import { MyRegistrationsView } from '@/features/invite/my-registrations';
import { usePageParams } from '@/platform/page';
import { goBack, routes } from '@/platform/navigation';

/**
 * 我的报名 (H5, through index.h5.ts): by the tracked link the customer came with, or their own
 * session. A deep page: its title bar leads back to the invitation (opened directly, the one the link names).
 */
export default function MyRegistrationsPage() {
  const { t } = usePageParams();
  return (
    <View>
      <TitleBar title='我的报名' onBack={() => goBack(routes.inviteActivity, t ? { t } : undefined)} />
      <MyRegistrationsView link={t} />
    </View>
  );
}
