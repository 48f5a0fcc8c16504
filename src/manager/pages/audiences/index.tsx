import { AudienceEditor } from '@/features/audiences/audience-editor';
import { PageFrame } from '@/features/session/page-frame';

export default function ManagerAudiencesPage() {
  return (
    <PageFrame title='人群' back roles={['manager']}>
      <AudienceEditor />
    </PageFrame>
  );
}
