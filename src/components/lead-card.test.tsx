import type { LeadSummary } from '@/contract';
import { render } from '@/test-setup/render';
import { LeadCard, slaChipText } from './lead-card';

const now = new Date(2026, 10, 23, 15, 0).getTime();
const lead: LeadSummary = {
  id: 'c_1',
  name: '张先生',
  stage: 'prospect',
  grade: 'H',
  gradeSource: 'consultant',
  score: 86,
  reason: '近30天浏览SUV内容5次，累计停留6分钟',
  phoneMasked: '138****5678',
  vehicleOfInterest: { modelId: 'm_lanyue', name: '星途揽月', line: 'SUV' },
  lastTouch: { type: 'content_view', at: now - 3 * 3600_000, summary: '浏览《揽月 七座空间实测》' },
  lastActivityAt: now - 3 * 3600_000,
  owner: { id: 's_1', name: '王芳' },
};

test('shows who the lead is, how warm and why, and the last touch with when', async () => {
  const screen = await render(<LeadCard lead={lead} now={now} onTap={() => undefined} />);
  const text = screen.text();
  expect(text).toContain('张先生');
  expect(text).toContain('潜客');
  expect(screen.container.querySelector('.sk-lead__mark')?.textContent).toBe('H');
  expect(text).toContain('86分');
  expect(text).toContain('近30天浏览SUV内容5次，累计停留6分钟');
  expect(text).toContain('星途揽月 · 浏览内容 3小时前');
  expect(text).toContain('138****5678');
  // Consultants do not need their own name on every card.
  expect(text).not.toContain('王芳');
});

test("the consultant's grade and the score's suggestion look different", async () => {
  const mine = await render(<LeadCard lead={lead} now={now} onTap={() => undefined} />);
  const suggested = await render(<LeadCard lead={{ ...lead, gradeSource: 'score' }} now={now} onTap={() => undefined} />);
  expect(mine.container.querySelector('.sk-lead__mark--suggested')).toBeNull();
  expect(mine.text()).toContain('已定级');
  expect(suggested.container.querySelector('.sk-lead__mark--suggested')?.textContent).toBe('H');
  expect(suggested.text()).toContain('建议');
});

test('an ungraded lead without a score says so; yesterday reads 昨天; the manager sees the owner', async () => {
  const yesterday = new Date(2026, 10, 22, 14, 20).getTime();
  const screen = await render(
    <LeadCard
      lead={{ ...lead, stage: 'owner', grade: undefined, gradeSource: undefined, score: undefined, reason: undefined, lastTouch: { ...lead.lastTouch!, at: yesterday } }}
      now={now}
      showOwner
      onTap={() => undefined}
    />,
  );
  expect(screen.text()).toContain('保客');
  expect(screen.text()).toContain('未定级');
  expect(screen.text()).toContain('暂无评分依据');
  expect(screen.text()).not.toContain('分 ');
  expect(screen.text()).toContain('昨天 14:20');
  expect(screen.text()).toContain('顾问：王芳');
});

test('an overdue first contact shows a red chip; a met one shows none; a recycled pool lead says 回收', async () => {
  const overdue = await render(
    <LeadCard lead={{ ...lead, sla: { state: 'overdue', label: '已超时2小时，请尽快联系' } }} now={now} onTap={() => undefined} />,
  );
  const chip = overdue.container.querySelector('.sk-lead__sla');
  expect(chip?.textContent).toBe('已超时2小时');
  expect(chip?.className).toContain('sk-tone-solid--red');

  const met = await render(<LeadCard lead={{ ...lead, sla: { state: 'met', label: '已按时首次联系' } }} now={now} onTap={() => undefined} />);
  expect(met.container.querySelector('.sk-lead__sla')).toBeNull();

  const recycled = await render(<LeadCard lead={{ ...lead, recycledLabel: '7天未跟进，自动回收' }} now={now} onTap={() => undefined} />);
  expect(recycled.container.querySelector('.sk-lead__recycled')?.textContent).toBe('回收');
});

test('SLA labels are cut to fit the chip', () => {
  expect(slaChipText({ state: 'due_soon', label: '即将超时，剩余40分钟' })).toBe('首联剩余40分钟');
  expect(slaChipText({ state: 'pending', label: '剩余20小时' })).toBe('首联剩余20小时');
  expect(slaChipText({ state: 'overdue', label: '已超时1天，请尽快联系' })).toBe('已超时1天');
});

test('tapping the card opens that lead; tapping 领取 claims without opening it', async () => {
  const opened: string[] = [];
  const claimed: string[] = [];
  const screen = await render(
    <LeadCard lead={lead} now={now} onTap={(l) => opened.push(l.id)} action={{ label: '领取', onPress: (l) => claimed.push(l.id) }} />,
  );
  await screen.tap(screen.getByText('张先生'));
  await screen.tap(screen.getByText('领取'));
  expect(opened).toEqual(['c_1']);
  expect(claimed).toEqual(['c_1']);
});
