import type { IntentGrade, LifecycleStage } from '@/contract';
import { gradeTone, stageLabel, stageTone } from '@/lib/labels';
import { Badge } from './badge';

export function StageBadge({ stage }: { stage: LifecycleStage }) {
  return <Badge tone={stageTone[stage]}>{stageLabel[stage]}</Badge>;
}

/** The intent grade as dealers write it, e.g. "H级". */
export function GradeBadge({ grade }: { grade: IntentGrade }) {
  return (
    <Badge tone={gradeTone[grade]} solid={grade === 'H'}>
      {`${grade}级`}
    </Badge>
  );
}
