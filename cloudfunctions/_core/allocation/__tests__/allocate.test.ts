import { allocate, type LeadToAllocate, type RoundRobinCursor } from '../allocate';
import { consultantLoad, DEFAULT_POLICY, type ConsultantLoad } from '../policy';

const c = (id: string, over: Partial<ConsultantLoad> = {}): ConsultantLoad => ({
  id,
  storeId: 's1',
  role: 'consultant',
  active: true,
  capacity: 50,
  modelLines: [],
  activeLeads: 10,
  receivedToday: 0,
  ...over,
});

function run(n: number, team: ConsultantLoad[], lead: LeadToAllocate = { storeId: 's1' }, cursor?: RoundRobinCursor) {
  const got: string[] = [];
  let cur = cursor;
  for (let i = 0; i < n; i++) {
    const a = allocate(lead, team, cur, DEFAULT_POLICY);
    if (a.kind !== 'assign') throw new Error(a.message);
    got.push(a.consultantId);
    cur = a.cursor;
  }
  return { got, cursor: cur! };
}

describe('allocate', () => {
  it('goes round-robin among equals, carrying the cursor', () => {
    const team = [c('wang'), c('li'), c('zhang')];
    const first = run(4, team);
    expect(first.got).toEqual(['li', 'wang', 'zhang', 'li']);
    expect(first.cursor).toEqual({ storeId: 's1', lastId: 'li', seq: 4 });
    // A cursor stored and read back continues where it left off.
    expect(run(2, team, { storeId: 's1' }, JSON.parse(JSON.stringify(first.cursor))).got).toEqual(['wang', 'zhang']);
  });

  it('prefers consultants who know the model line, round-robin among them', () => {
    const team = [c('a', { modelLines: ['SUV'] }), c('b', { modelLines: ['NEV'] }), c('c', { modelLines: ['SUV', 'NEV'] })];
    expect(run(3, team, { storeId: 's1', modelLine: 'NEV' }).got).toEqual(['b', 'c', 'b']);
    const a = allocate({ storeId: 's1', modelLine: 'MPV' }, team, undefined, DEFAULT_POLICY);
    expect(a).toMatchObject({ kind: 'assign', consultantId: 'a', byExpertise: false });
  });

  it('skips consultants who are full, at the daily cap, inactive, managers or of another store', () => {
    const team = [
      c('full', { activeLeads: 50 }),
      c('capped', { receivedToday: DEFAULT_POLICY.dailyCap }),
      c('away', { active: false }),
      c('boss', { role: 'manager' }),
      c('other', { storeId: 's2' }),
      c('free'),
    ];
    expect(run(3, team).got).toEqual(['free', 'free', 'free']);
  });

  it('sends the lead to the pool when nobody can take it, and says why', () => {
    expect(allocate({ storeId: 's1' }, [c('full', { activeLeads: 50 })], undefined, DEFAULT_POLICY)).toMatchObject({
      kind: 'pool',
      reason: 'ALL_AT_CAPACITY',
      message: '顾问的跟进量都已满，线索已进入公海',
    });
    expect(allocate({ storeId: 's1' }, [c('x', { receivedToday: 99 })], undefined, DEFAULT_POLICY)).toMatchObject({ kind: 'pool', reason: 'ALL_AT_DAILY_CAP' });
    const none = allocate({ storeId: 's1' }, [c('x', { storeId: 's2' })], { storeId: 's1', lastId: 'q', seq: 7 }, DEFAULT_POLICY);
    expect(none).toEqual({ kind: 'pool', reason: 'NO_CONSULTANT', message: '门店暂无在岗顾问，线索已进入公海', cursor: { storeId: 's1', lastId: 'q', seq: 7 } });
  });

  it('builds the load from a staff document and counts', () => {
    const staff = { _id: 'wang', storeId: 's1', role: 'consultant' as const, active: true, capacity: 40, modelLines: ['MPV' as const] };
    const a = allocate({ storeId: 's1', modelLine: 'MPV' }, [c('li'), consultantLoad(staff, 39, 0)], undefined, DEFAULT_POLICY);
    expect(a).toMatchObject({ kind: 'assign', consultantId: 'wang', byExpertise: true });
    expect(allocate({ storeId: 's1', modelLine: 'MPV' }, [c('li'), consultantLoad(staff, 40, 0)], undefined, DEFAULT_POLICY)).toMatchObject({ consultantId: 'li', byExpertise: false });
  });

  it('is a pure function of its inputs: the same call gives the same consultant', () => {
    const team = [c('a'), c('b')];
    const cursor = { storeId: 's1', lastId: 'a', seq: 3 };
    expect(allocate({ storeId: 's1' }, team, cursor, DEFAULT_POLICY)).toEqual(allocate({ storeId: 's1' }, team, cursor, DEFAULT_POLICY));
  });
});
