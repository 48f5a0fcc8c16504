import { ActivityInvitation } from '@/features/invite/activity-invitation';
import { PageFrame } from '@/features/session/page-frame';
import { usePageParams } from '@/platform/page';

/** The H5 invitation page (entered through index.h5.ts). Staff may open it too, to see what they send. */
export default function ActivityPage() {
  const { id } = usePageParams();
  return (
    <PageFrame title='活动邀请'>
      <ActivityInvitation activityId={id} />
    </PageFrame>
  );
}
