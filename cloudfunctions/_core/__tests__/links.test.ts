import { signLink, verifyLink } from '../links';

const SECRET = 'a-test-secret-of-more-than-thirty-two-characters';
const SEND = 'Qm9yZWFsLXNlbmQtaWQtMTIz';

it('gives back the send a link was signed for', () => {
  expect(verifyLink(signLink(SEND, SECRET), SECRET)).toBe(SEND);
});

it('refuses a link pointed at another send, changed, truncated, or signed with another secret', () => {
  const token = signLink(SEND, SECRET);
  const [, mac] = token.split('.');
  const other = `${SEND.slice(0, -1)}A`;
  for (const bad of [`${other}.${mac}`, `${token}x`, token.slice(0, -1), `${SEND}.`, SEND, `${token}.${mac}`, ` ${token}`, signLink(SEND, `${SECRET}!`)]) {
    expect([bad, verifyLink(bad, SECRET)]).toEqual([bad, undefined]);
  }
});

it('signs only real send ids', () => {
  expect(() => signLink('short', SECRET)).toThrow(/not a send id/);
  expect(() => signLink('has.dot.in.it.0000000', SECRET)).toThrow(/not a send id/);
});
