import type { DomainTool } from '../../spec/domain-tools.js';
import type { OfferedTool } from '../generic-tools.js';
import { DOMAIN_OFFER, type DomainToolHost, type OfferDomainTool } from './domain-offer.js';
import { ToolDefinitionError } from './tool-definition-error.js';

/**
 * `offered` plus `tools`, each taken through the offer `defineTool` gave it (how its input is audited
 * included: instances of one OrmAI may offer different tools of the same name). A name already offered
 * throws a `ToolDefinitionError`; so does a tool not made by `defineTool`.
 */
export function offerDomainTools(offered: ReadonlyMap<string, OfferedTool>, tools: readonly DomainTool[], host: DomainToolHost): Map<string, OfferedTool> {
  const next = new Map(offered);
  for (const tool of tools) {
    const offer = (tool as { [DOMAIN_OFFER]?: OfferDomainTool } | null)?.[DOMAIN_OFFER];
    if (typeof offer !== 'function') throw new ToolDefinitionError('domain tools are made with defineTool({ name, description, input, access, run })');
    if (next.has(tool.name)) throw new ToolDefinitionError(`domain tool name '${tool.name}': a tool of that name is already offered`);
    next.set(tool.name, offer(host));
  }
  return next;
}
