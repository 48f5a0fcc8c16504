import { act } from 'react';
import type { LeadSummary } from '@/contract';
import { LeadList } from '@/components/lead-list';
import { startApiServer, type ApiServer, type ReceivedCall } from '@/test-setup/api-server';
import { render } from '@/test-setup/render';
import { MyLeads } from './my-leads';
import { searchQuery } from '@/lib/search-text';

const lead = (i: number, extra: Partial<LeadSummary> = {}): LeadSummary => ({
  id: `c_${i}`,
  name: `客户${i}`,
  stage: 'lead',
  phoneMasked: `139****000${i}`,
  lastActivityAt: Date.now() - i * 60_000,
  ...extra,
});

const ok = (data: unknown): [number, unknown] => [200, { ok: true, data }];
const OPTIONS = {
  tags: [{ id: 't_suv', name: '关注SUV', count: 120 }],
  models: [
    { id: 'lanyue', name: '星途揽月', count: 86 },
    { id: 'tuyao', name: '途遥', count: 12 },
  ],
  channels: [{ id: 'autohome', name: '汽车之家', count: 40 }],
};

let server: ApiServer;
afterEach(() => server.close());

const listCalls = () => server.calls.filter((c) => c.action === 'list').map((c) => c.params as Record<string, unknown>);

async function until(done: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await act(() => new Promise((r) => setTimeout(r, 20)));
  }
}

test('a failed load shows the reason and 重试 loads the leads', async () => {
  server = await startApiServer(() => [500, { ok: false, error: { code: 'INTERNAL', message: 'db down' } }]);
  const screen = await render(<MyLeads />);
  await screen.findByText('服务器开了个小差，请稍后再试');
  expect(screen.text()).not.toContain('db down');

  server.reply(() => ok({ items: [lead(1), lead(2)] }));
  await screen.tap(screen.getByText('重试'));
  await screen.findByText('客户2');
  expect(screen.text()).toContain('客户1');
  expect(screen.text()).toContain('没有更多线索了');
  expect(screen.text()).not.toContain('服务器开了个小差');
});

test('shows the leads in the order the server ranks them, with the first reason on each', async () => {
  server = await startApiServer(() =>
    ok({
      items: [
        lead(7, { grade: 'H', gradeSource: 'consultant', score: 91, reason: '近7天到店2次' }),
        lead(3, { grade: 'A', gradeSource: 'score', score: 74, reason: '近30天浏览SUV内容5次，累计停留6分钟' }),
      ],
    }),
  );
  const screen = await render(<MyLeads />);
  await screen.findByText('客户3');
  const names = Array.from(screen.container.querySelectorAll('.sk-lead__name')).map((el) => el.textContent);
  expect(names).toEqual(['客户7', '客户3']);
  expect(screen.text()).toContain('近7天到店2次');
  expect(screen.text()).toContain('91分');
  expect(screen.text()).toContain('按意向等级和评分排序');
  expect(listCalls()[0]).toEqual({ limit: 20 });
});

test('加载更多 asks for the next page with the cursor and appends it', async () => {
  server = await startApiServer((call) => {
    const { cursor } = call.params as { cursor?: string };
    return cursor === 'p2' ? ok({ items: [lead(3)] }) : ok({ items: [lead(1), lead(2)], nextCursor: 'p2' });
  });
  const screen = await render(<MyLeads />);
  await screen.tap(await screen.findByText('加载更多'));
  await screen.findByText('客户3');
  expect(screen.text()).toContain('客户1');
  expect(listCalls().map((p) => p.cursor)).toEqual([undefined, 'p2']);
});

test('no leads at all reads as an empty list, not an error', async () => {
  server = await startApiServer(() => ok({ items: [] }));
  const screen = await render(<MyLeads />);
  await screen.findByText('暂无线索');
  expect(screen.text()).not.toContain('加载失败');
  expect(screen.queryByText('清除筛选')).toBeNull();
});

test('grade chips reload the list for those grades; an empty result offers 清除筛选, which shows everything again', async () => {
  const reply = (call: ReceivedCall): [number, unknown] => {
    const { grades } = call.params as { grades?: string[] };
    if (!grades) return ok({ items: [lead(1, { grade: 'H' }), lead(2)] });
    return ok({ items: grades.includes('H') ? [lead(1, { grade: 'H' })] : [] });
  };
  server = await startApiServer(reply);
  const screen = await render(<MyLeads />);
  await screen.findByText('客户2');

  await screen.tap(screen.getByText('H'));
  await until(() => screen.queryByText('客户2') === null && screen.queryByText('客户1') !== null);
  expect(listCalls().at(-1)).toEqual({ limit: 20, grades: ['H'] });
  expect(screen.text()).toContain('已筛选：H级');

  await screen.tap(screen.getByText('H'));
  await screen.tap(screen.getByText('未定级'));
  await screen.findByText('没有符合条件的线索');
  expect(listCalls().at(-1)).toEqual({ limit: 20, grades: ['none'] });

  await screen.tap(screen.getByText(/^清除筛选$/));
  await screen.findByText('客户2');
  expect(listCalls().at(-1)).toEqual({ limit: 20 });
  expect(screen.text()).not.toContain('已筛选');
});

test('the 筛选 sheet lists models, channels and tags with their counts and filters by the one tapped', async () => {
  server = await startApiServer((call) => {
    if (call.action === 'filters') return ok(OPTIONS);
    const { modelId } = call.params as { modelId?: string };
    return ok({ items: modelId === 'tuyao' ? [lead(5)] : [lead(1), lead(2)] });
  });
  const screen = await render(<MyLeads />);
  await screen.findByText('客户2');
  await screen.tap(screen.getByText('筛选'));
  await screen.findByText('汽车之家');
  const chips = Array.from(screen.container.querySelectorAll('.sk-sheet-chip')).map((el) => el.textContent);
  expect(chips).toEqual(['线索', '潜客', '保客', '星途揽月86', '途遥12', '汽车之家40', '关注SUV120']);

  await screen.tap(screen.getByText('途遥'));
  await screen.tap(screen.getByText('潜客'));
  await until(() => JSON.stringify(listCalls().at(-1)) === JSON.stringify({ limit: 20, stages: ['prospect'], modelId: 'tuyao' }));
  await screen.findByText('客户5');
  expect(screen.text()).toContain('筛选·2');
  expect(screen.text()).toContain('已筛选：潜客 · 途遥');
});

test('a failed options load says so in the sheet and can be retried', async () => {
  let fail = true;
  server = await startApiServer((call) => {
    if (call.action === 'filters') return fail ? [500, { ok: false, error: { code: 'INTERNAL', message: 'x' } }] : ok(OPTIONS);
    return ok({ items: [lead(1)] });
  });
  const screen = await render(<MyLeads />);
  await screen.findByText('客户1');
  await screen.tap(screen.getByText('筛选'));
  await screen.findByText('筛选项加载失败');
  fail = false;
  await screen.tap(screen.getByText('重试'));
  await screen.findByText('星途揽月');
});

test('the pool takes the same filters from leads.pool and claims in one tap', async () => {
  server = await startApiServer((call) => {
    if (call.action === 'claim') return ok({ claimed: true, lead: lead(9) });
    if (call.action === 'pool') {
      const { grades } = call.params as { grades?: string[] };
      return ok({ items: grades ? [lead(9, { grade: 'A', recycledLabel: '7天未跟进，自动回收' })] : [lead(8), lead(9, { grade: 'A', recycledLabel: '7天未跟进，自动回收' })] });
    }
    return ok({ items: [lead(1)] });
  });
  const screen = await render(<MyLeads />);
  await screen.findByText('客户1');
  await screen.tap(screen.getByText('公海'));
  await screen.findByText('客户8');
  expect(screen.text()).toContain('回收');

  await screen.tap(screen.getByText('A'));
  await until(() => screen.queryByText('客户8') === null);
  const poolCalls = server.calls.filter((c) => c.action === 'pool').map((c) => c.params);
  expect(poolCalls.at(-1)).toEqual({ limit: 20, grades: ['A'] });

  await screen.tap(await screen.findByText(/^领取$/));
  await screen.findByText('已领取 客户9，在「我的线索」里跟进');
});

test('a long list renders only the rows of its window, keeping the height of the rest', async () => {
  const items = Array.from({ length: 5000 }, (_, i) => lead(i));
  const screen = await render(
    <LeadList
      items={items}
      status='ready'
      hasMore={false}
      moreStatus='idle'
      now={Date.now()}
      emptyTitle='暂无线索'
      rows={{ start: 2000, end: 2015, rowPx: 90 }}
      onRetry={() => undefined}
      onLoadMore={() => undefined}
      onOpen={() => undefined}
    />,
  );
  const cards = Array.from(screen.container.querySelectorAll('.sk-lead__name')).map((el) => el.textContent);
  expect(cards).toHaveLength(15);
  expect(cards[0]).toBe('客户2000');
  const gaps = Array.from(screen.container.querySelectorAll<HTMLElement>('.sk-lead-list__gap')).map((el) => el.style.height);
  expect(gaps).toEqual([`${2000 * 90}px`, `${(5000 - 2015) * 90}px`]);
});

test('the search sends names as typed and digits as the phone tail', () => {
  expect(searchQuery(' 王 ')).toBe('王');
  expect(searchQuery('12')).toBe('');
  expect(searchQuery('5678')).toBe('5678');
  expect(searchQuery('13812345678')).toBe('5678');
});
