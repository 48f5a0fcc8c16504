import { MyRegistrationsView } from '@/features/invite/my-registrations';
import { usePageParams } from '@/platform/page';

/** 我的报名 (H5, through index.h5.ts): by the tracked link the customer came with, or their own session. */
export default function MyRegistrationsPage() {
  const { t } = usePageParams();
  return <MyRegistrationsView link={t} />;
}
