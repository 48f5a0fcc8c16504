/**
 * auth: who am I, WeCom sign-in for the sidebar, JS-SDK signatures, and (on the emulator only)
 * the demo sign-in that lists the demo dealership's people.
 */
import { randomBytes } from 'node:crypto';
import type { DemoStore, JsapiConfig, Me, SessionGrant } from '../../types/api';
import type { StaffDoc } from '../../types/model';
import { action, defineFunction } from '../_lib/entry';
import { ApiError, refused } from '../_lib/errors';
import { issueToken, SESSION_TTL_MS } from '../_lib/session';
import { staffRepo, storeRepo } from '../_lib/repo/staff';
import { customerRepo } from '../_lib/repo/customers';
import { demoCustomers } from '../_lib/repo/demo';
import { accessToken, agentTicket, jsapiTicket, visitorFromCode, wecomSettings } from '../_lib/wecom';
import { signUrl } from '../_core/wecom-signature';

/** The deploy build defines this as "off", so the demo sign-in is compiled out of the cloud. */
const demoEnabled = () => process.env.SIDEKICK_DEMO_LOGIN === '1';

const TITLES = { consultant: '销售顾问', manager: '店长', customer: '客户' } as const;

async function staffMe(s: StaffDoc): Promise<Me> {
  const store = await storeRepo.get(s.storeId);
  return { id: s._id, name: s.name, role: s.role, storeId: s.storeId, ...(store ? { storeName: store.name } : {}) };
}

function grant(me: Me, now: number): SessionGrant {
  const expiresAt = now + SESSION_TTL_MS;
  return { token: issueToken({ sub: me.id, role: me.role, storeId: me.storeId, exp: expiresAt }), expiresAt, me };
}

async function customerMe(customerId: string): Promise<Me | undefined> {
  const c = await customerRepo.getFields(customerId, ['_id', 'name', 'storeId']);
  return c ? { id: c._id, name: c.name, role: 'customer', storeId: c.storeId } : undefined;
}

function requireDemo(): void {
  if (!demoEnabled()) throw new ApiError('NOT_AVAILABLE', 'the demo sign-in exists only on the local emulator');
}

export const main = defineFunction('auth', {
  me: action(['consultant', 'manager', 'customer'], async (_p, { caller }) => {
    if (caller.role === 'customer') {
      const me = await customerMe(caller.customerId);
      if (!me) throw new ApiError('UNAUTHENTICATED', 'the account behind this session no longer exists');
      return me;
    }
    const s = await staffRepo.get(caller.staffId);
    if (!s) throw new ApiError('UNAUTHENTICATED', 'the account behind this session no longer exists');
    return staffMe(s);
  }),

  demoPeople: action(['anonymous', 'consultant', 'manager', 'customer'], async () => {
    requireDemo();
    const [stores, staff, customers] = await Promise.all([storeRepo.all(), staffRepo.all(), demoCustomers()]);
    const rank = { manager: 0, consultant: 1, customer: 2 } as const;
    return stores
      .sort((a, b) => a._id.localeCompare(b._id))
      .map((st): DemoStore => ({
        id: st._id,
        name: st.name,
        people: [
          ...staff.filter((s) => s.storeId === st._id && s.active).map((s) => ({ id: s._id, name: s.name, role: s.role, title: TITLES[s.role] })),
          ...customers.filter((c) => c.storeId === st._id).map((c) => ({ id: c._id, name: c.name, role: 'customer' as const, title: TITLES.customer })),
        ].sort((a, b) => rank[a.role] - rank[b.role] || a.id.localeCompare(b.id)),
      }));
  }),

  demoSignIn: action(['anonymous', 'consultant', 'manager', 'customer'], async ({ personId }, { now }) => {
    requireDemo();
    const staff = await staffRepo.get(personId);
    if (staff?.active) return grant(await staffMe(staff), now);
    const customer = (await demoCustomers()).find((c) => c._id === personId);
    const me = customer ? await customerMe(customer._id) : undefined;
    if (!me) throw new ApiError('NOT_FOUND', `personId: no demo person ${personId}`, [{ field: 'personId', message: 'no such demo person' }]);
    return grant(me, now);
  }),

  wecomSignIn: action(['anonymous', 'consultant', 'manager', 'customer'], async ({ code }, { now }) => {
    const settings = wecomSettings();
    const visitor = await visitorFromCode(settings, code, now);
    // A customer or anyone else outside the corp can open the page too; the sidebar is for staff.
    if (visitor.kind === 'outsider') throw refused('NOT_CORP_MEMBER', 'WeCom says whoever opened the page is not a member of the corp');
    const staff = await staffRepo.byWecomUserId(visitor.userId);
    if (!staff?.active) throw refused('NOT_STAFF', `WeCom member ${visitor.userId} is not a Sidekick consultant or manager`);
    return grant(await staffMe(staff), now);
  }),

  jsapiConfig: action(['consultant', 'manager'], async ({ url }, { now }): Promise<JsapiConfig> => {
    const settings = wecomSettings();
    await accessToken(settings, now); // warm the token once so the two ticket calls share it
    const [ticket, agent] = await Promise.all([jsapiTicket(settings, now), agentTicket(settings, now)]);
    const timestamp = Math.floor(now / 1000);
    const nonce = randomBytes(8).toString('hex');
    return {
      corpId: settings.corpId,
      agentId: settings.agentId,
      config: signUrl(ticket, url, nonce, timestamp),
      agentConfig: signUrl(agent, url, nonce, timestamp),
    };
  }),
});
