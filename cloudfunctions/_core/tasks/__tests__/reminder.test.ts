import { oldestUseful, REMINDER_STALE_MS, reminderText } from '../reminder';

const at = (iso: string) => Date.parse(`${iso}+08:00`);

describe('reminderText', () => {
  it('says what, whom and when in China time, with the note', () => {
    const text = reminderText({ _id: 't', kind: 'next_follow_up', title: '下次跟进', note: '问问试驾感受', dueAt: at('2025-03-17T15:00:00') }, '李明');
    expect(text).toBe('【下次跟进提醒】李明 · 3月17日 15:00\n备注：问问试驾感受\n打开销售助手「任务」查看并完成');
  });
  it('names an appointment by what was booked, and leaves an empty note out', () => {
    const text = reminderText({ _id: 't', kind: 'appointment', appointment: 'test_drive', title: '预约试驾', dueAt: at('2025-03-18T07:30:00') }, '陈静');
    expect(text.split('\n')).toEqual(['【预约试驾提醒】陈静 · 3月18日 07:30', '打开销售助手「任务」查看并完成']);
  });
});

describe('oldestUseful', () => {
  it('keeps reminders a few hours late and drops older ones', () => {
    expect(oldestUseful(at('2025-03-17T10:00:00'))).toBe(at('2025-03-17T10:00:00') - REMINDER_STALE_MS);
  });
});
