/**
 * Counts the SDK round trips of each function invocation. In CloudBase every database call
 * is a network round trip (~10 ms); here it is ~1 ms, so the count, not the time, tells
 * whether a function would fit the cloud. The SDK tags each request with
 * `seqId=<TCB_SEQID>-<eventId>` and the emulator sets TCB_SEQID to the invocation's request id,
 * which is how a request is attributed to its invocation.
 */
export interface InvocationRecord {
  /** Function name. */
  name: string;
  /** The `action` of a Sidekick-style call, when the event carries one. */
  action?: string;
  /** wx_client, wx_http, wx_trigger, …,scf */
  source: string;
  requestId: string;
  /** SDK requests to /admin made while the invocation ran (database calls, function calls). */
  roundTrips: number;
  /** Wall time of the invocation, ms. */
  ms: number;
  ok: boolean;
}

export class InvocationMeter {
  private readonly open = new Map<string, number>();
  private readonly listeners = new Set<(r: InvocationRecord) => void>();

  begin(requestId: string): void {
    this.open.set(requestId, 0);
  }

  /** Attributes one /admin request to its invocation by the `seqId` of its URL. */
  count(seqId: string | null): void {
    if (!seqId) return;
    const requestId = seqId.split('-')[0];
    const n = this.open.get(requestId);
    if (n !== undefined) this.open.set(requestId, n + 1);
  }

  /** Ends an invocation and tells the listeners; returns its round trips. */
  end(record: Omit<InvocationRecord, 'roundTrips'>): number {
    const roundTrips = this.open.get(record.requestId) ?? 0;
    this.open.delete(record.requestId);
    const full = { ...record, roundTrips };
    for (const l of this.listeners) l(full);
    return roundTrips;
  }

  listen(listener: (r: InvocationRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The `action` field of an event, if it has one (for logs). */
export function actionOf(event: unknown): string | undefined {
  const a = typeof event === 'object' && event !== null ? (event as { action?: unknown }).action : undefined;
  return typeof a === 'string' ? a.slice(0, 64) : undefined;
}
