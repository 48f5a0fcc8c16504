import { BatchSend } from '@/features/tasks/batch-send';
import { PageFrame } from '@/features/session/page-frame';
import { usePageParams } from '@/platform/page';

export default function BatchSendPage() {
  const { strategy } = usePageParams();
  return (
    <PageFrame title='批量发送' back roles={['consultant']}>
      <BatchSend strategyId={strategy ?? ''} />
    </PageFrame>
  );
}
