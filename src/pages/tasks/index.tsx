import { EmptyState } from '@/components/state-view';
import { PageFrame } from '@/features/session/page-frame';

/** MA tasks arrive in a later issue; until then the inbox is honestly empty. */
export default function TasksPage() {
  return (
    <PageFrame title='任务' roles={['consultant']}>
      <EmptyState title='暂无营销任务' description='店长下发任务后会出现在这里' />
    </PageFrame>
  );
}
