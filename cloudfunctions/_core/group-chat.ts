/**
 * A WeCom customer group (客户群) as the sidebar sees it: which members are the caller's
 * customers, and how many are not. Pure: WeCom's member list and the resolved customers come in.
 */

/** A member of a group as WeCom lists it: `type` 1 is a corp member (userId = their userid), 2 an external contact (userId = external_userid). */
export interface GroupMember {
  userId: string;
  type: number;
}

const CORP_MEMBER = 1;
const EXTERNAL_CONTACT = 2;

/** Whether the corp member `userId` is in the group (the sidebar is only ever opened by one). */
export function hasCorpMember(members: readonly GroupMember[], userId: string): boolean {
  return members.some((m) => m.type === CORP_MEMBER && m.userId === userId);
}

/** The external contacts' external_userids, each once, in WeCom's order. */
export function externalContactIds(members: readonly GroupMember[]): string[] {
  return [...new Set(members.filter((m) => m.type === EXTERNAL_CONTACT).map((m) => m.userId))];
}

export interface RankedCustomer {
  _id: string;
  /** The lead list's ranking key (grade, then score); absent before a customer is scored. */
  rankKey?: number;
}

/**
 * The customers behind the group's external contacts, best lead first (the lead list's order),
 * each once even when two of their WeChat accounts are in the group; `othersCount` counts the
 * contacts that are not one of them (someone else's customers, or nobody's yet).
 */
export function groupRoster<C extends RankedCustomer>(
  externalIds: readonly string[],
  customerOf: (externalId: string) => C | undefined,
): { customers: C[]; othersCount: number } {
  const customers = new Map<string, C>();
  let othersCount = 0;
  for (const id of externalIds) {
    const c = customerOf(id);
    if (c) customers.set(c._id, c);
    else othersCount++;
  }
  const rank = (c: C) => c.rankKey ?? -1;
  return {
    customers: [...customers.values()].sort((a, b) => rank(b) - rank(a) || (a._id < b._id ? 1 : a._id > b._id ? -1 : 0)),
    othersCount,
  };
}
