import { formatDwell, renderReason } from '../reasons';

describe('reason text', () => {
  it.each([
    [0, '0秒'],
    [45, '45秒'],
    [60, '1分钟'],
    [360, '6分钟'],
    [389, '6分钟'],
    [390, '7分钟'],
    [3600, '1小时'],
    [3900, '1小时5分钟'],
  ])('%s seconds read as %s', (s, want) => {
    expect(formatDwell(s)).toBe(want);
  });

  it('fills placeholders and drops a bracketed part with nothing to show', () => {
    const v = { days: 30, count: 5, dwell: 360, models: ['lanyue', 'qinglan_ev', 'tuyao', 'yunyi'], points: 10 };
    expect(renderReason('近{days}天浏览SUV内容{count}次[，累计停留{dwell}]', v)).toBe('近30天浏览SUV内容5次，累计停留6分钟');
    expect(renderReason('近{days}天浏览SUV内容{count}次[，累计停留{dwell}]', { ...v, dwell: 0 })).toBe('近30天浏览SUV内容5次');
    expect(renderReason('关注[{models}]', v)).toBe('关注揽岳、青澜EV、途遥');
    expect(renderReason('已预约试驾[（{models}）]', { ...v, models: ['unknown_model'] })).toBe('已预约试驾');
    expect(renderReason('得分{points}', { ...v, points: -2.25 })).toBe('得分-2.3');
  });
});
