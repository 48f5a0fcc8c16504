import type { EventDoc } from '../../../../types/model';
import type { ScoreSubject } from '../score';
import type { ScoringEvent } from '../state';

export const NOW = Date.parse('2026-11-23T20:00:00+08:00');
export const DAY = 86_400_000;
let seq = 0;

export function ev(type: EventDoc['type'], daysAgo: number, properties: EventDoc['properties'] = {}, source = 'miniprogram'): ScoringEvent {
  return { _id: `e${++seq}`, type, source, properties, timestamp: NOW - daysAgo * DAY };
}

export const suvView = (daysAgo: number, dwellSeconds: number, modelId = 'lanyue') =>
  ev('content_view', daysAgo, { materialId: 'm1', category: 'space', dwellSeconds, modelId });

export function subject(over: Partial<ScoreSubject> = {}): ScoreSubject {
  return { stage: 'lead', city: '', sourceChannel: 'douyin', vehiclesOwned: [], tags: [], ...over };
}
