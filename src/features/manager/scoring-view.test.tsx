import type { RescoreJob, ScoringModel } from '@/stores/manager-scoring-store';
import { startApiServer, type ApiServer, type ReceivedCall } from '@/test-setup/api-server';
import { render, type Rendered } from '@/test-setup/render';
import { ScoringView } from './scoring-view';

const model = (over: Partial<ScoringModel> = {}): ScoringModel => ({
  version: 3,
  name: '门店评分模型',
  fit: {
    cap: 30,
    groups: [
      {
        id: 'fit_city',
        label: '所在城市',
        cap: 5,
        rules: [{ id: 'city_t1', label: '一线城市', when: { attr: 'cityTier', in: ['t1'] }, points: 5, reason: '一线城市客户' }],
      },
    ],
  },
  engagement: {
    cap: 70,
    groups: [
      {
        id: 'eng_intent',
        label: '强意向行为',
        cap: 40,
        rules: [
          { id: 'test_drive', label: '到店试驾', filter: { types: ['test_drive'] }, points: 20, dailyCap: 20, windowDays: 30, reason: '近{days}天到店试驾{count}次' },
        ],
      },
      {
        id: 'eng_negative',
        label: '负面信号',
        cap: 40,
        rules: [
          { id: 'no_answer', label: '电话未接通', filter: { types: ['call'] }, points: -2, dailyCap: 2, windowDays: 14, reason: '近{days}天电话未接通{count}次' },
        ],
      },
    ],
  },
  grades: { H: 80, A: 65, B: 45, C: 25 },
  ...over,
});

let server: ApiServer;
let stored: { model: ScoringModel; isDefault: boolean };
let setModelReply: (params: { model: ScoringModel; expectedVersion: number }) => [number, unknown];
let loadFails: boolean;
/** What `scoring.job` answers now (a save sets it to the run it started, as the server does). */
let jobReply: RescoreJob | null;

const job = (over: Partial<RescoreJob> = {}): RescoreJob => ({ status: 'running', processed: 0, total: 1500, modelVersion: 4, startedAt: 1, failures: 0, ...over });

function serve(call: ReceivedCall): [number, unknown] {
  switch (`${call.name}.${call.action}`) {
    case 'scoring.model':
      return loadFails ? [500, { ok: false, error: { code: 'INTERNAL', message: 'db down' } }] : [200, { ok: true, data: stored }];
    case 'scoring.setModel':
      return setModelReply(call.params as { model: ScoringModel; expectedVersion: number });
    case 'scoring.job':
      return [200, { ok: true, data: jobReply }];
    default:
      return [404, { ok: false, error: { code: 'UNKNOWN_ACTION', message: call.action } }];
  }
}

beforeEach(async () => {
  stored = { model: model(), isDefault: false };
  loadFails = false;
  jobReply = null;
  setModelReply = ({ model: m, expectedVersion }) => {
    jobReply = job({ status: 'queued', modelVersion: expectedVersion + 1 });
    return [200, { ok: true, data: { model: { ...m, version: expectedVersion + 1 }, job: jobReply } }];
  };
  server = await startApiServer(serve);
});
afterEach(() => server.close());

const rule = (screen: Rendered, id: string): HTMLElement => {
  const found = screen.container.querySelector<HTMLElement>(`[data-rule="${id}"]`);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
};
const tapLabel = async (screen: Rendered, label: string) => {
  const found = screen.container.querySelector<HTMLElement>(`[aria-label="${label}"]`);
  if (!found) throw new Error(`nothing labelled ${label}`);
  await screen.tap(found);
};
const saves = () => server.calls.filter((c) => c.action === 'setModel');

test('shows the model, its version, grade thresholds and each group’s rules with their windows; penalties in red', async () => {
  stored = { model: model({ version: 1, name: '默认线索评分模型' }), isDefault: true };
  const screen = await render(<ScoringView />);
  await screen.findByText('到店试驾');
  const text = screen.text();
  for (const t of ['默认线索评分模型 · 版本 1', '默认模型', '强意向行为', '上限 40 分', '负面信号', '所在城市', '一线城市', '近30天', '近14天']) expect(text).toContain(t);
  expect(screen.container.querySelector('[data-grade="A"]')?.textContent).toContain('A级');
  expect(rule(screen, 'no_answer').querySelector('.sk-score__num--neg')).not.toBeNull();
  expect(rule(screen, 'test_drive').querySelector('.sk-score__num--neg')).toBeNull();
});

test('an edited rule is sent with the version it was edited from; the page shows the new version and the rescore starting', async () => {
  const screen = await render(<ScoringView jobPollMs={20} />);
  await screen.findByText('到店试驾');
  await screen.tap(screen.getByText('保存并重新评分'));
  expect(saves()).toHaveLength(0);

  await tapLabel(screen, '到店试驾分值加1');
  await tapLabel(screen, '到店试驾分值加1');
  await tapLabel(screen, 'B级最低分减1');
  await screen.findByText('有未保存的修改');
  await screen.tap(screen.getByText('保存并重新评分'));

  await screen.findByText('已保存为版本 4');
  await screen.findByText('重新评分中 0/1,500');
  expect(saves()).toHaveLength(1);
  const sent = saves()[0].params as { model: ScoringModel; expectedVersion: number };
  expect(sent.expectedVersion).toBe(3);
  expect(sent.model.engagement.groups[0].rules[0].points).toBe(22);
  expect(sent.model.grades).toEqual({ H: 80, A: 65, B: 44, C: 25 });
  expect(sent.model.engagement.groups[1].rules[0].points).toBe(-2);
  expect(screen.text()).toContain('门店评分模型 · 版本 4');
  expect(screen.queryByText('有未保存的修改')).toBeNull();
});

test('a rejected model shows the server’s field message; a conflict asks to refresh', async () => {
  setModelReply = () => [
    400,
    {
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: 'model.engagement.groups.1.rules.0.points: must be at least -40',
        issues: [{ field: 'model.engagement.groups.1.rules.0.points', message: 'must be at least -40' }],
      },
    },
  ];
  const screen = await render(<ScoringView />);
  await screen.findByText('电话未接通');
  await tapLabel(screen, '电话未接通分值减1');
  await screen.tap(screen.getByText('保存并重新评分'));
  // The manager reads the rule's name and the setting in Chinese, not the server's field path.
  const notice = await screen.findByText('保存失败：请检查「电话未接通」的分值');
  expect(notice.className).toContain('sk-mgr__notice--failed');
  // The edit is kept so the manager can correct it.
  expect(screen.text()).toContain('有未保存的修改');
  expect(screen.text()).toContain('版本 3');

  setModelReply = () => [409, { ok: false, error: { code: 'CONFLICT', message: 'expectedVersion: the model is at version 4' } }];
  await screen.tap(screen.getByText('保存并重新评分'));
  await screen.findByText('模型已被他人修改，请刷新后再改');
});

test('while the rescore runs the page follows it to the end: counts, a bar, then 已完成', async () => {
  const screen = await render(<ScoringView jobPollMs={20} />);
  await screen.findByText('到店试驾');
  await tapLabel(screen, '到店试驾分值加1');
  await screen.tap(screen.getByText('保存并重新评分'));
  await screen.findByText('重新评分中 0/1,500');
  const bar = () => screen.container.querySelector<HTMLElement>('.sk-score__bar-fill')?.style.width;
  expect(bar()).toBe('0%');
  jobReply = job({ processed: 600 });
  await screen.findByText('重新评分中 600/1,500');
  expect(bar()).toBe('40%');
  // A slice that failed is retried by the server; the manager is told, not alarmed.
  jobReply = job({ processed: 1200, failures: 1 });
  await screen.findByText('重新评分中 1,200/1,500');
  expect(screen.text()).toContain('遇到问题，正在自动重试');
  jobReply = job({ status: 'done', processed: 1500, finishedAt: 2 });
  await screen.findByText('已完成 · 1,500 位客户已按新模型评分');
  expect(screen.container.querySelector('.sk-score__bar')).toBeNull();
  // Finished: the page stops asking.
  const asked = server.calls.filter((c) => c.action === 'job').length;
  await new Promise((resolve) => setTimeout(resolve, 150));
  expect(server.calls.filter((c) => c.action === 'job').length).toBe(asked);
});

test('opening the page during a rescore shows its progress; one that gave up says what happens next', async () => {
  stored = { model: model({ version: 4 }), isDefault: false };
  jobReply = job({ processed: 12000, total: 20000 });
  const screen = await render(<ScoringView jobPollMs={20} />);
  await screen.findByText('重新评分中 12,000/20,000');
  jobReply = job({ status: 'failed', processed: 12500, total: 20000, failures: 3, finishedAt: 3 });
  await screen.findByText('重新评分未完成：已评分 12,500/20,000 位客户，其余客户会在今晚的例行评分中按新模型更新');
  expect(screen.getByText(/重新评分未完成/).className).toContain('sk-mgr__notice--failed');
});

test('a rescore of an older version than the one shown is not reported as this one', async () => {
  stored = { model: model({ version: 5 }), isDefault: false };
  jobReply = job({ status: 'done', processed: 1500, modelVersion: 4 });
  const screen = await render(<ScoringView jobPollMs={20} />);
  await screen.findByText('到店试驾');
  await new Promise((resolve) => setTimeout(resolve, 60));
  expect(screen.queryByText(/已完成/)).toBeNull();
});

test('a failed load says why and 重试 shows the model', async () => {
  loadFails = true;
  const screen = await render(<ScoringView />);
  await screen.findByText('服务器开了个小差，请稍后再试');
  loadFails = false;
  await screen.tap(screen.getByText('重试'));
  await screen.findByText('到店试驾');
});
