import {
  blockedReason,
  identifierKey,
  identifiersFrom,
  IDENTITY_TYPES,
  normalizeIdentifier,
  normalizePhone,
  parseIdentifierKey,
} from '../identifiers';

describe('phone normalisation', () => {
  it.each([
    ['13912345678', '13912345678'],
    ['+86 139 1234 5678', '13912345678'],
    ['0086-139-1234-5678', '13912345678'],
    ['8613912345678', '13912345678'],
    ['(139) 1234.5678', '13912345678'],
    ['１３９１２３４５６７８', '13912345678'],
  ])('%s -> %s', (raw, want) => {
    expect(normalizePhone(raw)).toBe(want);
  });

  it.each(['1391234567', '139123456789', '02112345678', '12912345678', 'abc'])('rejects %s', (raw) => {
    expect(normalizePhone(raw)).toBeUndefined();
  });
});

describe('blocked values', () => {
  it.each(['', ' ', '0', 'null', 'NULL', 'undefined', 'None', '-1'])('drops the placeholder %j for any type', (v) => {
    for (const type of IDENTITY_TYPES) {
      const r = normalizeIdentifier(type, v, 'scope');
      expect(r).toMatchObject({ ok: false, kind: 'blocked' });
    }
  });

  it.each(['13800138000', '11111111111', '12345678901', '13888888888', '13900000000', '+86 138 0013 8000', '8613800138000'])(
    'drops the test phone %s',
    (v) => {
      expect(normalizeIdentifier('phone', v)).toMatchObject({ ok: false, kind: 'blocked' });
    },
  );

  it('drops all-same-character ids but keeps real ones', () => {
    expect(blockedReason('oemId', '0000000')).toMatch(/repeated/);
    expect(blockedReason('openid', 'aaaaaaaa')).toMatch(/repeated/);
    expect(blockedReason('phone', '13912345678')).toBeUndefined();
    expect(blockedReason('oemId', 'LS0000012345')).toBeUndefined();
  });

  it('tells malformed values apart from placeholders', () => {
    expect(normalizeIdentifier('phone', '1391234')).toMatchObject({ ok: false, kind: 'invalid' });
    expect(normalizeIdentifier('openid', 'o b c d e f')).toMatchObject({ ok: false, kind: 'invalid' });
    expect(normalizeIdentifier('oemId', { id: 1 })).toMatchObject({ ok: false, kind: 'invalid' });
  });
});

describe('identifier keys', () => {
  it('scopes openid by app and external_userid by corp, and parses back', () => {
    const open = { type: 'openid' as const, value: 'oAbc123456', scope: 'wxapp1' };
    expect(identifierKey(open)).toBe('openid:wxapp1:oAbc123456');
    expect(parseIdentifierKey('openid:wxapp1:oAbc123456')).toEqual(open);
    expect(identifierKey({ type: 'phone', value: '13912345678' })).toBe('phone:13912345678');
    expect(parseIdentifierKey('phone:13912345678')).toEqual({ type: 'phone', value: '13912345678' });
    expect(parseIdentifierKey('openid:oAbc123456')).toEqual({ type: 'openid', value: 'oAbc123456' });
    expect(parseIdentifierKey('email:a@b.c')).toBeUndefined();
  });

  it('the same openid string in two apps gives two identifiers', () => {
    const a = identifiersFrom({ openid: 'oSame000001' }, { appId: 'app1' }).identifiers[0];
    const b = identifiersFrom({ openid: 'oSame000001' }, { appId: 'app2' }).identifiers[0];
    expect(identifierKey(a)).not.toBe(identifierKey(b));
  });
});

describe('identifiersFrom', () => {
  it('returns usable identifiers in priority order and reports the rest per field', () => {
    const r = identifiersFrom(
      { openid: 'oUser0000001', phone: '+86 139-1234-5678', oemId: 'null', unionid: 'bad id!', externalUserId: 'wmExternal01' },
      { corpId: 'corp1', appId: 'app1' },
    );
    expect(r.identifiers).toEqual([
      { type: 'phone', value: '13912345678' },
      { type: 'externalUserId', value: 'wmExternal01', scope: 'corp1' },
      { type: 'openid', value: 'oUser0000001', scope: 'app1' },
    ]);
    expect(r.ignored).toEqual([{ field: 'identities.oemId', message: 'placeholder value "null"' }]);
    expect(r.invalid).toEqual([{ field: 'identities.unionid', message: expect.stringMatching(/letters/) }]);
  });
});
