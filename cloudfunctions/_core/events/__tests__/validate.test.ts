import { normalizeBatch, normalizeTrack, parseTime, toEventDoc } from '../validate';

const received = Date.parse('2026-11-23T10:00:05+08:00');
const opts = { receivedAt: received };

function view(over: Record<string, unknown> = {}) {
  return {
    messageId: 'ajs-1700000000-abc',
    event: 'content_view',
    identities: { openid: 'oUser0000001' },
    properties: { materialId: 'm1', dwellSeconds: 95, category: 'space', modelId: 'lanyue' },
    originalTimestamp: '2026-11-23T09:58:00+08:00',
    sentAt: '2026-11-23T10:00:00+08:00',
    source: 'miniprogram',
    storeId: 's1',
    ...over,
  };
}

function issuesOf(raw: unknown) {
  const r = normalizeTrack(raw, opts);
  if (r.ok) throw new Error('expected issues');
  return r.issues;
}

describe('normalizeTrack', () => {
  it('corrects the timestamp for the sender clock: originalTimestamp + (receivedAt - sentAt)', () => {
    // The phone's clock runs 5 s slow: it says 10:00:00 when the server says 10:00:05.
    const r = normalizeTrack(view(), opts);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.event.timestamp).toBe(Date.parse('2026-11-23T09:58:05+08:00'));
    expect(r.event).toMatchObject({ _id: 'ajs-1700000000-abc', type: 'content_view', receivedAt: received, identities: { openid: 'oUser0000001' } });
  });

  it('corrects a clock that runs fast too, and takes epoch milliseconds', () => {
    const sentAt = received + 3_600_000;
    const r = normalizeTrack(view({ originalTimestamp: sentAt - 60_000, sentAt }), opts);
    expect(r.ok && r.event.timestamp).toBe(received - 60_000);
  });

  it('without sentAt there is nothing to correct', () => {
    const r = normalizeTrack(view({ sentAt: undefined, originalTimestamp: received - 1000 }), opts);
    expect(r.ok && r.event.timestamp).toBe(received - 1000);
  });

  it('uses a relayed receivedAt only from a trusted peer', () => {
    const relayed = view({ receivedAt: '2026-11-23T10:00:00+08:00' });
    const trusted = normalizeTrack(relayed, { ...opts, trustRelayedReceivedAt: true });
    expect(trusted.ok && trusted.event.timestamp).toBe(Date.parse('2026-11-23T09:58:00+08:00'));
    const untrusted = normalizeTrack(relayed, opts);
    expect(untrusted.ok && untrusted.event.timestamp).toBe(Date.parse('2026-11-23T09:58:05+08:00'));
  });

  it('names every bad field with its reason', () => {
    const issues = issuesOf({
      messageId: 'has space',
      event: 'page_view',
      identities: { phone: '12345', email: 'a@b.c' },
      properties: { nested: { a: 1 } },
      originalTimestamp: '2026-11-23 09:58',
      sentAt: 'yesterday',
      source: 'Mini Program',
      extra: true,
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        { field: 'extra', message: 'is not a known field' },
        { field: 'messageId', message: 'must be 1-100 letters, digits or _.:-' },
        { field: 'event', message: expect.stringContaining('must be one of ad_click') },
        { field: 'storeId', message: 'is required' },
        { field: 'source', message: expect.stringContaining('channel id') },
        { field: 'identities.email', message: 'is not a known identifier type' },
        { field: 'identities.phone', message: 'must be an 11-digit mainland mobile number' },
        { field: 'properties.nested', message: 'must be a string, finite number, boolean or null' },
        { field: 'originalTimestamp', message: 'must be epoch milliseconds or ISO 8601 with a time zone' },
        { field: 'sentAt', message: 'must be epoch milliseconds or ISO 8601 with a time zone' },
      ]),
    );
    expect(issues).toHaveLength(10);
  });

  it('checks the known properties of each type and requires what scoring reads', () => {
    expect(issuesOf(view({ properties: { dwellSeconds: -3, category: 'space' } }))).toEqual([
      { field: 'properties.dwellSeconds', message: 'must be a number >= 0' },
    ]);
    expect(issuesOf(view({ properties: { materialId: 'm1' } }))).toEqual([
      { field: 'properties.dwellSeconds', message: 'is required for content_view events' },
      { field: 'properties.category', message: 'is required for content_view events' },
    ]);
    expect(issuesOf(view({ event: 'call', properties: { direction: 'sideways', connected: 'yes' } }))).toEqual([
      { field: 'properties.direction', message: 'must be one of inbound, outbound' },
      { field: 'properties.connected', message: 'must be true or false' },
    ]);
    expect(issuesOf(view({ event: 'test_drive', properties: { trim: '2.0T' } }))).toEqual([
      { field: 'properties.modelId', message: 'is required for test_drive events' },
    ]);
    const ok = normalizeTrack(view({ properties: { dwellSeconds: 10, category: 'tech', modelId: null, utm: 'x', note: '  有备注 ' } }), opts);
    expect(ok.ok && ok.event.properties).toEqual({ dwellSeconds: 10, category: 'tech', modelId: null, utm: 'x', note: '有备注' });
  });

  it('needs a usable identifier or a known customer; placeholders are dropped with a note', () => {
    expect(issuesOf(view({ identities: { phone: '13800138000', openid: 'null' } }))).toEqual([
      { field: 'identities', message: expect.stringContaining('must hold a usable phone') },
    ]);
    const r = normalizeTrack(view({ identities: { phone: '13800138000', openid: 'oUser0000001' } }), opts);
    expect(r.ok && r.event.identities).toEqual({ openid: 'oUser0000001' });
    expect(r.ok && r.event.ignoredIdentities).toEqual([{ field: 'identities.phone', message: 'test phone number 13800138000' }]);
    const staff = normalizeTrack(view({ identities: undefined, customerId: 'c_1', staffId: 'zhangwei', event: 'store_visit', properties: { durationMinutes: 40 } }), opts);
    expect(staff.ok && staff.event).toMatchObject({ customerId: 'c_1', staffId: 'zhangwei', identities: {} });
  });

  it('normalises phones on the way in', () => {
    const r = normalizeTrack(view({ identities: { phone: '+86 139-1234-5678' } }), opts);
    expect(r.ok && r.event.identities).toEqual({ phone: '13912345678' });
  });

  it('refuses an event said to happen after it was sent, and impossible dates', () => {
    expect(issuesOf(view({ originalTimestamp: '2026-11-23T10:01:00+08:00' }))).toEqual([
      { field: 'originalTimestamp', message: 'must not be later than sentAt' },
    ]);
    expect(parseTime('2026-02-30T10:00:00Z')).toBe('is not a real date');
    expect(parseTime('2026-13-01T10:00:00Z')).toBe('is not a real date');
    expect(parseTime(1.5)).toBe('must be an integer of epoch milliseconds');
    expect(parseTime(0)).toBe('must be between 2015-01-01 and 2100-01-01');
    expect(parseTime('2026-11-23T10:00:00.123Z')).toBe(Date.parse('2026-11-23T10:00:00.123Z'));
  });

  it('accepts Segment’s type field and rejects a non-object', () => {
    expect(normalizeTrack(view({ type: 'track' }), opts).ok).toBe(true);
    expect(issuesOf(view({ type: 'identify' }))).toEqual([{ field: 'type', message: "must be 'track'" }]);
    expect(issuesOf('nope')).toEqual([{ field: '', message: 'event must be an object' }]);
  });

  it('makes the stored event without identities (they live in the identity index)', () => {
    const r = normalizeTrack(view({ staffId: 'zhangwei' }), opts);
    if (!r.ok) throw new Error('invalid');
    const doc = toEventDoc(r.event, 'c_1');
    expect(doc).toEqual({
      _id: 'ajs-1700000000-abc',
      customerId: 'c_1',
      storeId: 's1',
      type: 'content_view',
      source: 'miniprogram',
      properties: { materialId: 'm1', dwellSeconds: 95, category: 'space', modelId: 'lanyue' },
      originalTimestamp: Date.parse('2026-11-23T09:58:00+08:00'),
      sentAt: Date.parse('2026-11-23T10:00:00+08:00'),
      receivedAt: received,
      timestamp: Date.parse('2026-11-23T09:58:05+08:00'),
      staffId: 'zhangwei',
    });
  });
});

describe('normalizeBatch', () => {
  it('keeps the valid events and reports each invalid one by index', () => {
    const r = normalizeBatch([view({ messageId: 'a' }), view({ messageId: 'b', event: 'nope' }), view({ messageId: 'c' }), 42], opts);
    if (!r.ok) throw new Error('batch refused');
    expect(r.valid.map((e) => e._id)).toEqual(['a', 'c']);
    expect(r.invalid).toEqual([
      { index: 1, messageId: 'b', issues: [{ field: 'event', message: expect.any(String) }] },
      { index: 3, issues: [{ field: '', message: 'event must be an object' }] },
    ]);
    expect(r.duplicates).toEqual([]);
  });

  it('ignores a repeated messageId inside the batch', () => {
    const r = normalizeBatch([view({ messageId: 'a' }), view({ messageId: 'a', originalTimestamp: '2026-11-23T09:59:00+08:00' }), view({ messageId: 'b' })], opts);
    expect(r.ok && r.valid.map((e) => e._id)).toEqual(['a', 'b']);
    expect(r.ok && r.duplicates).toEqual([{ index: 1, messageId: 'a' }]);
    expect(r.ok && r.invalid).toEqual([]);
  });

  it('refuses something that is not a batch, an empty one or one too large', () => {
    expect(normalizeBatch({}, opts)).toEqual({ ok: false, issues: [{ field: 'batch', message: 'must be an array of events' }] });
    expect(normalizeBatch([], opts)).toEqual({ ok: false, issues: [{ field: 'batch', message: 'must hold 1-100 events' }] });
    expect(normalizeBatch(Array.from({ length: 101 }, () => view()), opts).ok).toBe(false);
  });
});
