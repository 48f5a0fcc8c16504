import type { TimelineItem } from '@/contract';
import { render } from '@/test-setup/render';
import { TimelineEntry } from './timeline-item';

const now = new Date(2026, 10, 23, 15, 0).getTime();

test.each<[TimelineItem, string[]]>([
  [
    { id: 'e1', type: 'live_stream', at: now - 2 * 3600_000, title: '观看直播「周末试驾专场」42 分钟', sourceName: '抖音直播' },
    ['观看直播「周末试驾专场」42 分钟', '观看直播', '抖音直播', '2小时前'],
  ],
  [
    { id: 'e2', type: 'test_drive', at: new Date(2026, 10, 22, 10, 5).getTime(), title: '试驾星途揽月 2.0T 四驱版', sourceName: '门店' },
    ['试驾星途揽月 2.0T 四驱版', '试驾', '门店', '昨天 10:05'],
  ],
])('a %s touchpoint shows its title, kind, source and time', async (item, expected) => {
  const screen = await render(<TimelineEntry item={item} now={now} />);
  for (const text of expected) expect(screen.text()).toContain(text);
  expect(screen.text()).not.toContain(item.id);
});
