/**
 * Whether a send may go to a customer now: the customer's consent to be contacted, and the
 * store's marketing frequency cap across every consultant and strategy. Pure: the caller reads
 * the customer in the send's transaction and writes back `touchesAfter`, so two senders racing
 * for the last place are serialised by the transaction (one of them retries and sees the other).
 *
 * What counts as marketing: anything a strategy or a batch sends, and any material but a 话术
 * (script) sent into a chat. A script the consultant sends into a conversation they are having
 * is a reply, not a marketing touch (docs/decisions/0014-tasks-sends-and-the-frequency-cap.md).
 */
import type { CurrentConsents, FrequencyCap, MaterialKind, SendChannel } from '../../../types/model';
import { DAY } from '../events/day-buckets';

export type SendRefusal = 'no_consent' | 'capped';

export type SendDecision = { ok: true; marketing: boolean; touchesAfter: number[] } | { ok: false; code: SendRefusal; reason: string };

export function isMarketing(kind: MaterialKind, channel: SendChannel, fromStrategy: boolean): boolean {
  if (fromStrategy || channel === 'wecom_mass' || channel === 'wecom_share') return true;
  return kind !== 'script';
}

/**
 * Touches still inside the window ending now, oldest first. A touch stamped a moment after
 * `now` counts too: a concurrent sender read the clock later and committed first.
 */
export function touchesInWindow(touches: readonly number[] | undefined, now: number, cap: FrequencyCap): number[] {
  const from = now - cap.days * DAY;
  return (touches ?? []).filter((t) => t > from).sort((a, b) => a - b);
}

/** 7天内已收到2次营销触达，3月20日后可再发. */
function cappedReason(recent: readonly number[], cap: FrequencyCap): string {
  const freeAt = recent[recent.length - cap.touches] + cap.days * DAY;
  const d = new Date(freeAt + 8 * 3_600_000);
  return `${cap.days}天内已收到${recent.length}次营销触达（上限${cap.touches}次），${d.getUTCMonth() + 1}月${d.getUTCDate()}日后可再发`;
}

export function decideSend(input: { consent?: CurrentConsents; touches?: number[]; marketing: boolean; cap: FrequencyCap; now: number }): SendDecision {
  // Leads gave their number to be contacted about the car; a withdrawal of that stops everything.
  if (input.consent?.contact?.granted === false) return { ok: false, code: 'no_consent', reason: '客户已撤回联系授权，不能发送' };
  const recent = touchesInWindow(input.touches, input.now, input.cap);
  if (!input.marketing) return { ok: true, marketing: false, touchesAfter: recent };
  if (recent.length >= input.cap.touches) return { ok: false, code: 'capped', reason: cappedReason(recent, input.cap) };
  return { ok: true, marketing: true, touchesAfter: [...recent, input.now].sort((a, b) => a - b) };
}
