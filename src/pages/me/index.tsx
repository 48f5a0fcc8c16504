import { MePanel } from '@/features/session/me-panel';
import { PageFrame } from '@/features/session/page-frame';

export default function MePage() {
  return (
    <PageFrame title='我的' roles={['consultant', 'manager']}>
      <MePanel />
    </PageFrame>
  );
}
