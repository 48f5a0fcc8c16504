/**
 * Where customers come from and where touchpoints happen. The same ids serve as a customer's
 * `sourceChannel` and as an event's `source`.
 */
import { CHANNELS, type Channel } from '../../../types/channels';

export { CHANNEL_KINDS } from '../../../types/catalog';
export type { ChannelKind } from '../../../types/catalog';
export { CHANNELS, type Channel } from '../../../types/channels';

const byId = new Map(CHANNELS.map((c) => [c.id, c]));

export function channelById(id: string): Channel | undefined {
  return byId.get(id);
}

/** Chinese name of a channel; unknown ids (e.g. a new OEM source) are shown as they are. */
export function channelName(id: string): string {
  return byId.get(id)?.name ?? id;
}
