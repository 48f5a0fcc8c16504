import type { MergeView } from '@/contract';
import { useMergesStore } from '@/stores/manager-merges-store';
import { startApiServer, type ApiServer, type ReceivedCall } from '@/test-setup/api-server';
import { act } from 'react';
import { render, type Rendered } from '@/test-setup/render';
import { MergesView } from './merges-view';

const now = Date.now();

const merge = (over: Partial<MergeView> = {}): MergeView => ({
  id: 'm_1',
  survivor: { id: 'c_1', name: '李明' },
  merged: [{ id: 'c_2', name: '李先生' }],
  actorName: '系统自动合并',
  reason: '同一手机号',
  at: now - 3600_000,
  identifiers: ['手机号', '企微外部联系人'],
  ...over,
});

let server: ApiServer;
let merges: MergeView[];
let undoReply: (params: { mergeId: string; reason: string }) => [number, unknown];

function serve(call: ReceivedCall): [number, unknown] {
  switch (`${call.name}.${call.action}`) {
    case 'customers.merges':
      return [200, { ok: true, data: { items: merges } }];
    case 'customers.undoMerge':
      return undoReply(call.params as { mergeId: string; reason: string });
    default:
      return [404, { ok: false, error: { code: 'UNKNOWN_ACTION', message: call.action } }];
  }
}

beforeEach(async () => {
  merges = [merge(), merge({ id: 'm_0', survivor: { id: 'c_5', name: '王芳' }, merged: [{ id: 'c_6', name: '王女士' }], undone: { at: now - 60_000, actorName: '王建国', reason: '不是同一人' } })];
  server = await startApiServer(serve);
});
afterEach(() => server.close());

const row = (screen: Rendered, id: string) => screen.container.querySelector<HTMLElement>(`.sk-merge[data-id="${id}"]`)!;
const typeReason = (text: string) => act(() => useMergesStore.getState().setUndoReason(text));

test('lists who was merged into whom, why, by which identifiers and who did it; undone ones read 已撤销', async () => {
  const screen = await render(<MergesView />);
  await screen.findByText('李先生');
  const first = row(screen, 'm_1').textContent ?? '';
  for (const text of ['李明', '合并了', '原因：同一手机号', '手机号', '企微外部联系人', '系统自动合并', '撤销合并']) expect(first).toContain(text);
  const undone = row(screen, 'm_0').textContent ?? '';
  expect(undone).toContain('已撤销');
  expect(undone).toContain('王建国');
  expect(undone).toContain('不是同一人');
  expect(undone).not.toContain('撤销合并');
});

test('撤销合并 asks for a reason, sends it, and marks the record 已撤销', async () => {
  undoReply = ({ mergeId, reason }) => [200, { ok: true, data: merge({ id: mergeId, undone: { at: Date.now(), actorName: '王建国', reason } }) }];
  const screen = await render(<MergesView />);
  await screen.tap((await screen.findByText('撤销合并')) as HTMLElement);
  await screen.findByText('撤销这次合并？');
  await screen.tap(screen.getByText('确认撤销'));
  expect(server.calls.filter((c) => c.action === 'undoMerge')).toHaveLength(0);

  await typeReason('同名不同人');
  await screen.tap(screen.getByText('确认撤销'));
  await screen.findByText(/已撤销合并，李明、李先生 恢复为各自独立的客户/);
  expect(server.calls.find((c) => c.action === 'undoMerge')?.params).toEqual({ mergeId: 'm_1', reason: '同名不同人' });
  expect(row(screen, 'm_1').textContent).toContain('已撤销');
  expect(row(screen, 'm_1').textContent).not.toContain('撤销合并');
  expect(screen.queryByText('撤销这次合并？')).toBeNull();
});

test('a refused undo keeps the dialog open with the reason why', async () => {
  undoReply = () => [409, { ok: false, error: { code: 'CONFLICT', message: 'already undone' } }];
  const screen = await render(<MergesView />);
  await screen.tap((await screen.findByText('撤销合并')) as HTMLElement);
  await typeReason('录错了');
  await screen.tap(screen.getByText('确认撤销'));
  await screen.findByText('这条合并已被他人撤销或变更，请刷新后再看');
  expect(screen.text()).toContain('撤销这次合并？');
});

test('no merges reads as an empty list, not an error', async () => {
  merges = [];
  const screen = await render(<MergesView />);
  await screen.findByText('还没有合并记录');
});
