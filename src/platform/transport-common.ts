/** What both transports share. Lives apart from `transport.ts`, which Taro swaps per platform. */
export interface CallRequest {
  name: string;
  action: string;
  params: unknown;
  /** Session token of the signed-in person, when there is one. */
  token?: string;
}

/** Thrown when no reply arrived at all (offline, DNS, connection refused, timeout). */
export class TransportFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransportFailure';
  }
}
