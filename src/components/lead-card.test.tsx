import type { LeadSummary } from '@/contract';
import { render } from '@/test-setup/render';
import { LeadCard } from './lead-card';

const now = new Date(2026, 10, 23, 15, 0).getTime();
const lead: LeadSummary = {
  id: 'c_1',
  name: '张先生',
  stage: 'prospect',
  grade: 'H',
  phoneMasked: '138****5678',
  vehicleOfInterest: { modelId: 'm_lanyue', name: '星途揽月', line: 'SUV' },
  lastTouch: { type: 'content_view', at: now - 3 * 3600_000, summary: '浏览《揽月 七座空间实测》' },
  lastActivityAt: now - 3 * 3600_000,
  owner: { id: 's_1', name: '王芳' },
};

test('shows who the lead is, how warm, and when they were last active', async () => {
  const screen = await render(<LeadCard lead={lead} now={now} onTap={() => undefined} />);
  const text = screen.text();
  expect(text).toContain('张先生');
  expect(text).toContain('潜客');
  expect(text).toContain('H级');
  expect(text).toContain('意向 星途揽月');
  expect(text).toContain('138****5678');
  expect(text).toContain('内容浏览');
  expect(text).toContain('浏览《揽月 七座空间实测》');
  expect(text).toContain('3小时前');
  // Consultants do not need their own name on every card.
  expect(text).not.toContain('王芳');
});

test('a lead last seen yesterday reads 昨天 with the time; the manager sees the owner', async () => {
  const yesterday = new Date(2026, 10, 22, 14, 20).getTime();
  const screen = await render(
    <LeadCard
      lead={{ ...lead, stage: 'owner', grade: undefined, lastTouch: { ...lead.lastTouch!, at: yesterday } }}
      now={now}
      showOwner
      onTap={() => undefined}
    />,
  );
  expect(screen.text()).toContain('保客');
  expect(screen.text()).not.toContain('级');
  expect(screen.text()).toContain('昨天 14:20');
  expect(screen.text()).toContain('顾问：王芳');
});

test('tapping the card opens that lead', async () => {
  const opened: string[] = [];
  const screen = await render(<LeadCard lead={lead} now={now} onTap={(l) => opened.push(l.id)} />);
  await screen.tap(screen.getByText('张先生'));
  expect(opened).toEqual(['c_1']);
});
