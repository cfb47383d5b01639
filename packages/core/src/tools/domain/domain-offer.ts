import type { BoundPolicy } from '../../spec/bound-policy.js';
import type { CallFacts, PipelineCall } from '../../spec/pipeline.js';
import type { ToolResult } from '../../spec/tools.js';
import type { OfferedTool } from '../generic-tools.js';
import type { ToolDefinition } from '../read-tools.js';
import type { ToolEnv } from '../tool-env.js';

/**
 * How `createOrmAI` takes a domain tool: `defineTool` puts an offer under this key, so the data handle,
 * the search and the audit of domain inputs come with `defineTool`, and an app without domain tools
 * (an edge route) does not ship them.
 */
export const DOMAIN_OFFER = Symbol.for('ormai.domainTool');

/** What an instance lends its domain tools. */
export interface DomainToolHost {
  bound: BoundPolicy;
  /** The generic tools over the whole policy: tool switches limit what the agent calls, not what a domain tool reads. */
  tools: ReadonlyMap<string, ToolDefinition>;
  /** Runs one write as a call of its own (audited in its transaction), as `parent`'s effect. */
  write(parent: PipelineCall, env: ToolEnv, action: string, input: unknown): Promise<{ result: ToolResult; facts: CallFacts }>;
  /** Reserves the rows a read may return against the policy's row quotas; throws `quota_exceeded`. */
  reserveRows(env: ToolEnv, action: string, input: unknown): Promise<void>;
  /** Receives an unexpected error of `parent`; the tool's code only sees `internal_error`. */
  report(parent: PipelineCall, error: unknown): void;
}

/** The audit's view of a domain tool's input (see sanitizeDomainInput), carried by the offered tool to each of its calls. */
export type DomainInputAudit = NonNullable<OfferedTool['auditInput']>;

export type OfferDomainTool = (host: DomainToolHost) => OfferedTool;
