import type { LifecycleStage } from '@/contract';
import { stageLabel, stageTone } from '@/lib/labels';
import { Badge } from './badge';

export function StageBadge({ stage }: { stage: LifecycleStage }) {
  return <Badge tone={stageTone[stage]}>{stageLabel[stage]}</Badge>;
}
