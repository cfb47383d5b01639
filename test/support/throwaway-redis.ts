import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll } from 'vitest';
import { Redis, type RedisOptions } from 'ioredis';
import { closedPort } from '../../packages/upstash/src/test-support/redis.js';
import { startRestBridge, type RestBridge } from '../../packages/upstash/src/test-support/rest-bridge.js';

/** A Redis of the test's own, on its own port, that the test stops, kills and starts (the shared one stays up). */
export class ThrowawayRedis {
  readonly dir = mkdtempSync(join(tmpdir(), 'ormai-redis-'));
  constructor(readonly port: number) {}
  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }
  async start() {
    execFileSync('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'yes', '--dir', this.dir, '--pidfile', join(this.dir, 'pid')]);
    for (let attempt = 0; ; attempt++) {
      try {
        this.cli('ping');
        return;
      } catch (error) {
        if (attempt > 100) throw error;
        await sleep(50);
      }
    }
  }
  stop() {
    this.cli('shutdown', 'nosave');
  }
  /** A crash: SIGKILL, no shutdown; the clients' connections drop with their commands unanswered. */
  async kill() {
    const pid = Number(readFileSync(join(this.dir, 'pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    for (let attempt = 0; ; attempt++) {
      try {
        process.kill(pid, 0);
      } catch {
        return; // gone
      }
      if (attempt > 100) throw new Error(`redis ${pid} did not die`);
      await sleep(20);
    }
  }
  /** The server answers nothing for `ms` (connections stay open): a store slower than its timeout. */
  pause(ms: number, mode: 'ALL' | 'WRITE' = 'ALL') {
    this.cli('client', 'pause', String(ms), mode);
  }
  /** Ends a pause early (only a WRITE pause: under ALL this command waits like any other). */
  unpause() {
    this.cli('client', 'unpause');
  }
  /** Waits (bounded) until a client is blocked in a command named like `command` (held by a pause, say). */
  async blockedIn(command: RegExp): Promise<void> {
    for (let attempt = 0; attempt < 500; attempt++) {
      const lines = this.cli('client', 'list').split('\n');
      if (lines.some((line) => /\bflags=\S*b/.test(line) && command.test(/\bcmd=(\S+)/.exec(line)?.[1] ?? ''))) return;
      await sleep(10);
    }
    throw new Error(`no client is blocked in ${command}`);
  }
  remove() {
    rmSync(this.dir, { recursive: true, force: true });
  }
  private cli(...args: string[]): string {
    return execFileSync('redis-cli', ['-p', String(this.port), ...args], { stdio: 'pipe', encoding: 'utf8' });
  }
}

export interface ThrowawayRedisFixture {
  server: ThrowawayRedis;
  /** A client of `server`, with `clientOptions`; its errors are ignored (a dead server is the point). */
  client: Redis;
  /** The Upstash REST bridge in front of `client`. */
  bridge: RestBridge;
}

/** Starts a Redis of the suite's own on a free port, a client and the REST bridge before the suite; removes them after. */
export function useThrowawayRedis(clientOptions: RedisOptions = {}): ThrowawayRedisFixture {
  const fixture = {} as ThrowawayRedisFixture;
  beforeAll(async () => {
    fixture.server = new ThrowawayRedis(await closedPort());
    await fixture.server.start();
    fixture.client = new Redis(fixture.server.url, clientOptions);
    fixture.client.on('error', () => {});
    fixture.bridge = await startRestBridge(fixture.client);
  });
  afterAll(async () => {
    await fixture.bridge?.close();
    fixture.client?.disconnect();
    try {
      fixture.server?.stop();
    } catch {
      // already down: a test stopped or killed it
    }
    fixture.server?.remove();
  });
  return fixture;
}
