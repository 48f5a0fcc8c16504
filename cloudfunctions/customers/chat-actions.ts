/**
 * The customers of the WeCom customer group (客户群) the sidebar was opened from. WeCom says who
 * is in the group; we show only the caller's own customers among them (a manager's: the
 * store's) and count the other members without naming them.
 */
import type { ActionTable } from '../_lib/entry';
import { action } from '../_lib/entry';
import { refused } from '../_lib/errors';
import { customersOfContacts } from '../_lib/chat-customers';
import { loadLookups } from '../_lib/lookups';
import { staffRepo } from '../_lib/repo/staff';
import { groupChat, wecomSettings } from '../_lib/wecom';
import { externalContactIds, groupRoster, hasCorpMember } from '../_core/group-chat';
import { toLeadSummary } from '../_core/views';

export const chatActions: Pick<ActionTable<'customers'>, 'byExternalChat'> = {
  byExternalChat: action(['consultant', 'manager'], async ({ chatId }, { caller, now }) => {
    const settings = wecomSettings();
    const [chat, me] = await Promise.all([groupChat(settings, chatId, now), staffRepo.get(caller.staffId)]);
    // The toolbar only opens inside a group one belongs to; any other chat id was not ours to ask about.
    if (!me || !hasCorpMember(chat.members, me.wecomUserId)) {
      throw refused('NOT_IN_CHAT', `chatId: ${caller.staffId} is not a member of the group chat ${chatId}`);
    }
    const contacts = externalContactIds(chat.members);
    const [customers, lookups] = await Promise.all([customersOfContacts(caller, contacts), loadLookups(now)]);
    const roster = groupRoster(contacts, (id) => customers.get(id));
    return {
      name: chat.name,
      customers: roster.customers.map((c) => toLeadSummary(c, lookups, caller.role === 'manager', now)),
      othersCount: roster.othersCount,
    };
  }),
};
