/**
 * A real HTTP server standing in for the functions' gateway in tests (POST /fn/<name>), on a
 * random free port. Each test says what the server replies; the app's real client and transport
 * do the rest.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCall {
  name: string;
  action: string;
  params: unknown;
  authorization?: string;
}

/** Returns [HTTP status, body]; a string body is sent as is (e.g. a proxy's HTML error page). */
export type Reply = (call: ReceivedCall) => [number, unknown];

export interface ApiServer {
  calls: ReceivedCall[];
  reply: (handler: Reply) => void;
  close: () => Promise<void>;
  url: string;
}

export async function startApiServer(initial: Reply): Promise<ApiServer> {
  let handler = initial;
  const calls: ReceivedCall[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const parsed = JSON.parse(body || '{}') as { action: string; params: unknown };
      const call: ReceivedCall = {
        name: (req.url ?? '').replace(/^\/fn\//, ''),
        action: parsed.action,
        params: parsed.params,
        authorization: req.headers.authorization,
      };
      calls.push(call);
      const [status, reply] = handler(call);
      const text = typeof reply === 'string' ? reply : JSON.stringify(reply);
      res.writeHead(status, { 'Content-Type': typeof reply === 'string' ? 'text/html' : 'application/json' });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  (globalThis as { SIDEKICK_API_BASE?: string }).SIDEKICK_API_BASE = url;
  return {
    calls,
    url,
    reply: (next) => {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        // fetch keeps connections alive; drop them so close() does not wait seconds for them.
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
