import type { TaskDoc } from '../../../../types/model';
import { completedBy, markerMatches, markerOf, withTriggers } from '../triggers';

const task = (id: string, extra: Partial<TaskDoc>): Pick<TaskDoc, '_id' | 'status' | 'completesOn' | 'materialId' | 'createdAt'> => ({ _id: id, status: 'open', createdAt: 100, ...extra });

describe('the open-task marker', () => {
  it('grows by union and matches only the triggers it lists', () => {
    const m = withTriggers(undefined, ['send', 'call']);
    expect(m).toEqual(['call', 'send']);
    expect(withTriggers(m, ['call'])).toEqual(m);
    expect(markerMatches(m, ['call'])).toBe(true);
    expect(markerMatches(m, ['content_view', 'share'])).toBe(false);
    expect(markerMatches(undefined, ['call'])).toBe(false);
  });
  it('is rebuilt from the tasks that stay open', () => {
    expect(markerOf([task('a', { completesOn: ['call'] }), task('b', { completesOn: ['send'], status: 'done' })])).toEqual(['call']);
    expect(markerOf([])).toEqual([]);
  });
});

describe('completedBy', () => {
  const tasks = [
    task('call', { completesOn: ['call'] }),
    task('invite', { completesOn: ['send'], materialId: 'mat-inv' }),
    task('any-send', { completesOn: ['send'] }),
    task('done', { completesOn: ['call'], status: 'done' }),
    task('manual', {}),
  ];
  it('completes the open tasks waiting for what arrived', () => {
    expect(completedBy(tasks, [{ trigger: 'call', at: 200 }]).map((t) => t._id)).toEqual(['call']);
  });
  it('a send completes tasks for its material, or for any material', () => {
    expect(completedBy(tasks, [{ trigger: 'send', materialId: 'mat-other', at: 200 }]).map((t) => t._id)).toEqual(['any-send']);
    expect(completedBy(tasks, [{ trigger: 'send', materialId: 'mat-inv', at: 200 }]).map((t) => t._id)).toEqual(['invite', 'any-send']);
  });
  it('a send made for a task completes it whatever it waits for', () => {
    expect(completedBy(tasks, [{ trigger: 'send', materialId: 'x', taskId: 'manual', at: 200 }]).map((t) => t._id)).toEqual(['any-send', 'manual']);
  });
  it('ignores what happened before the task was made', () => {
    expect(completedBy(tasks, [{ trigger: 'call', at: 50 }])).toEqual([]);
  });
});
