import type { TimelineItem } from '@/contract';
import { foldGlances } from './timeline-groups';

const item = (id: string, brief = false): TimelineItem => ({ id, type: brief ? 'content_view' : 'store_visit', at: 0, title: id, sourceName: '小程序', ...(brief ? { brief: true as const } : {}) });

test('folds each run of two or more glances into one row and keeps everything else in order', () => {
  const rows = foldGlances([item('a'), item('g1', true), item('g2', true), item('g3', true), item('b'), item('g4', true), item('c')]);
  expect(rows.map((r) => (r.kind === 'item' ? r.item.id : `[${r.items.map((i) => i.id).join(',')}]`))).toEqual(['a', '[g1,g2,g3]', 'b', 'g4', 'c']);
});

test('a timeline without glances is left as it is', () => {
  expect(foldGlances([item('a'), item('b')]).map((r) => r.kind)).toEqual(['item', 'item']);
});
