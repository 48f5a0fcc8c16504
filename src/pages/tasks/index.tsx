import { PageFrame } from '@/features/session/page-frame';
import { TaskInbox } from '@/features/tasks/task-inbox';

export default function TasksPage() {
  return (
    <PageFrame title='任务' roles={['consultant']}>
      <TaskInbox />
    </PageFrame>
  );
}
