import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { context, ROOT_CONTEXT, trace, TraceFlags, type Context, type ContextManager } from '@opentelemetry/api';
import { MemoryAuditSink } from '@ormai/core';
import { activeTraceContext } from '@ormai/core/otel';
import { ACME, useShop } from './support/shop-fixture.js';
import { shopPolicy } from './support/shop.js';

/** The smallest real context manager: what an OpenTelemetry SDK registers, so spans follow async calls. */
class AsyncContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active = () => this.storage.getStore() ?? ROOT_CONTEXT;
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.storage.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable = () => this;
  disable = () => this;
}

describe('audit records link to the active OpenTelemetry span', () => {
  const shop = useShop('sqlite');
  beforeAll(() => void context.setGlobalContextManager(new AsyncContextManager()));
  afterAll(() => context.disable());

  it('records the active span ids, and the run context trace id when no span is active', async () => {
    const sink = new MemoryAuditSink();
    const ormai = shop.withPolicy(shopPolicy(), { audit: { sink, traceContext: activeTraceContext } });
    const span = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED });
    await context.with(trace.setSpan(context.active(), span), async () => {
      await new Promise((resolve) => setTimeout(resolve, 1)); // the span survives an async hop
      await ormai.call('db_aggregate', { model: 'Order', op: 'count' }, ACME);
    });
    await ormai.call('db_aggregate', { model: 'Order', op: 'count' }, { ...ACME, traceId: 'from-the-host' });
    await ormai.audit.flush();
    expect(sink.all().map((r) => [r.traceId, r.spanId])).toEqual([
      ['0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331'],
      ['from-the-host', null],
    ]);
  });
});
