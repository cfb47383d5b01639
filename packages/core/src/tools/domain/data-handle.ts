import { errors, OrmAIError } from '../../errors.js';
import type { DomainToolContext, ReadDataHandle, ToolAccess, WriteDataHandle } from '../../spec/domain-tools.js';
import type { CallFacts, PipelineCall } from '../../spec/pipeline.js';
import type { ToolSpec } from '../../spec/tools.js';
import { parseInput } from '../parse-input.js';
import { asOrmAIError } from '../tool-errors.js';
import type { ToolEnv } from '../tool-env.js';
import type { DomainToolHost } from './domain-offer.js';
import { mergeFacts } from './merge-facts.js';
import { runSearch, searchInput } from './search.js';

type Runner = (args: never, env: ToolEnv) => unknown;

const SEARCH: Pick<ToolSpec, 'name' | 'description' | 'inputSchema'> = { name: 'search', description: 'ctx.db.search({ model, field, contains, ...db_query input })', inputSchema: searchInput };
/** Handle method, generic tool, write operation. */
const WRITES = [['create', 'db_create', 'create'], ['update', 'db_update', 'update'], ['delete', 'db_delete', 'delete'], ['bulkUpdate', 'db_bulk_update', 'bulk_update']] as const;

/** A model name to echo in a refusal: only a plain name (the domain code may pass the agent's text). */
const modelIn = (input: unknown): string => {
  const model = (input as { model?: unknown } | null)?.model;
  return typeof model === 'string' && /^\w{1,64}$/.test(model) ? model : '';
};

/**
 * What a domain tool's `run` gets: a data handle that runs the generic tools' code under the call's
 * policy, tenant and budgets (no adapter, no ORM), and a frozen copy of the run context. Reads fold
 * their rows and subjects into the domain call's record; each write is a call of its own, audited in
 * its transaction. Every refusal rejects with an `OrmAIError`.
 */
export function domainToolContext<A extends ToolAccess>(access: A, env: ToolEnv, call: PipelineCall, host: DomainToolHost): { ctx: DomainToolContext<A>; close(): Promise<void> } {
  const { recordWrite: _ownRecord, ...shared } = env; // the domain call's record is not any handle call's
  let open = true;
  const running = new Set<Promise<unknown>>();
  const guard = (work: () => Promise<unknown>): Promise<unknown> => {
    const done = (async () => {
      try {
        // A handle kept past its call would read outside any record: it stops with the call.
        if (!open) throw new Error(`the data handle of a finished ${call.action} call was used`);
        return await work();
      } catch (error) {
        throw asOrmAIError(error, env.bound, () => host.report(call, error));
      }
    })();
    running.add(done);
    void done.then(() => running.delete(done), () => running.delete(done));
    return done;
  };
  const read = (spec: Pick<ToolSpec, 'name' | 'description' | 'inputSchema'>, quotaAction: string, run: Runner) => (input: unknown) =>
    guard(async () => {
      const args = parseInput(spec, input);
      await host.reserveRows(env, quotaAction, args);
      const facts: CallFacts = {};
      let ok = false;
      try {
        const data = await run(args as never, { ...shared, facts });
        ok = true;
        return data;
      } finally {
        mergeFacts(env.facts, facts, ok);
      }
    });
  const generic = (action: string) => {
    const tool = host.tools.get(action);
    return tool ? read(tool, action, tool.run.bind(tool) as Runner) : null;
  };
  /** No model enables this write operation: what the generic tool would answer for any model. */
  const notWritable = (operation: string) => (input: unknown) => guard(() => Promise.reject(errors.writeNotAllowed(modelIn(input), operation, [])));

  const reads = {
    query: generic('db_query')!,
    get: generic('db_get')!,
    aggregate: generic('db_aggregate')!,
    search: read(SEARCH, 'db_query', runSearch as Runner),
  };
  const context = Object.freeze({ ...env.context, ...(env.context.roles ? { roles: Object.freeze([...env.context.roles]) } : {}) }) as Readonly<typeof env.context>;
  /** Ends the handle, once what the code started and did not wait for has settled: its rows belong in the call's record. */
  const close = async () => {
    open = false;
    await Promise.allSettled([...running]);
  };
  if (access !== 'write') return { ctx: Object.freeze({ db: Object.freeze(reads) as unknown as ReadDataHandle, context }) as DomainToolContext<A>, close };
  const write = (action: string) => (input: unknown) =>
    guard(async () => {
      const { result, facts } = await host.write(call, env, action, input);
      mergeFacts(env.facts, facts, result.ok);
      if (!result.ok) throw new OrmAIError(result.error);
      return result.data;
    });
  const writes = Object.fromEntries(WRITES.map(([method, action, operation]) => [method, host.tools.has(action) ? write(action) : notWritable(operation)]));
  const preview = generic('db_preview_write') ?? notWritable('update');
  const db = Object.freeze({ ...reads, ...writes, preview }) as unknown as WriteDataHandle;
  return { ctx: Object.freeze({ db, context }) as DomainToolContext<A>, close };
}
