import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';

/**
 * Test code only: Upstash's REST protocol in front of a real Redis, enough for `@upstash/redis`:
 * POST / (one command), /pipeline and /multi-exec (arrays of commands), Bearer auth, and
 * `Upstash-Encoding: base64` (every string result base64-encoded except "OK"), and the scripts of
 * `@upstash/ratelimit` (see `scriptTranslator`). Counts requests, so tests can check one round trip per
 * budget check.
 */
export interface RestBridge {
  url: string;
  token: string;
  requests: number;
  close(): Promise<void>;
}

type Reply = { result: unknown } | { error: string };

const encode = (value: unknown): unknown =>
  typeof value === 'string' ? (value === 'OK' ? value : Buffer.from(value).toString('base64')) : Array.isArray(value) ? value.map(encode) : value;

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/**
 * `@upstash/ratelimit` 2.1+ sends a `#!lua flags=...` first line, which Redis 7.0 rejects: EVAL runs the
 * script without it, and EVALSHA of the original script's hash is sent as the stripped script's hash, so
 * a cached script stays one round trip (a script Redis has not seen still answers NOSCRIPT, then EVAL).
 */
function scriptTranslator() {
  const strippedShaOf = new Map<string, string>();
  return (command: unknown[]): unknown[] => {
    const [name, script, ...rest] = command;
    const verb = String(name).toLowerCase();
    if (verb === 'evalsha' && typeof script === 'string') return [name, strippedShaOf.get(script) ?? script, ...rest];
    if (verb !== 'eval' || typeof script !== 'string' || !script.startsWith('#!lua')) return command;
    const stripped = script.replace(/^#!lua[^\n]*\n/, '');
    strippedShaOf.set(sha1(script), sha1(stripped));
    return [name, stripped, ...rest];
  };
}

async function body(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

export async function startRestBridge(redis: Redis, token = 'bridge-token'): Promise<RestBridge> {
  const translateScript = scriptTranslator();
  const run = async (command: unknown[], base64: boolean): Promise<Reply> => {
    try {
      const [name, ...args] = translateScript(command) as [string, ...Array<string | number>];
      const result = await redis.call(name, ...args);
      return { result: base64 ? encode(result) : result };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  };
  const bridge = { token, requests: 0 } as RestBridge;
  const server: Server = createServer(async (request, response) => {
    bridge.requests++;
    const send = (status: number, payload: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    if (request.headers.authorization !== `Bearer ${token}`) return send(401, { error: 'Unauthorized' });
    const base64 = String(request.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64';
    const payload = (await body(request)) as unknown[];
    if (request.url === '/pipeline') return send(200, await Promise.all((payload as unknown[][]).map((c) => run(c, base64))));
    if (request.url === '/multi-exec') {
      const replies = (await redis.multi((payload as unknown[][]).map((c) => translateScript(c) as string[])).exec()) ?? [];
      return send(200, replies.map(([error, result]) => (error ? { error: error.message } : { result: base64 ? encode(result) : result })));
    }
    const reply = await run(payload, base64);
    return send('error' in reply ? 400 : 200, reply);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  bridge.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  bridge.close = () => new Promise((resolve) => server.close(() => resolve()));
  return bridge;
}
