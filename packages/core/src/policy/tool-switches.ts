import type { BoundPolicy } from '../spec/bound-policy.js';
import type { GenericToolName, Policy } from '../spec/policy.js';

/** Whether generic tool `tool` may touch `model`: the policy's switch and the model's both allow it (absent: all tools). */
export const allowsTool = (policy: Policy, model: string, tool: GenericToolName): boolean =>
  (policy.tools?.includes(tool) ?? true) && (policy.models[model]?.tools?.includes(tool) ?? true);

/**
 * The policy as one generic tool sees it: `modelNames` holds only the models that tool may touch, so
 * its description names only them and its model argument accepts only them (any other is
 * `model_not_allowed`, like a model the policy does not know). Every model stays bound, for relations.
 */
export function toolView(bound: BoundPolicy, tool: GenericToolName): BoundPolicy {
  const modelNames = bound.modelNames.filter((name) => allowsTool(bound.policy, name, tool));
  return modelNames.length === bound.modelNames.length ? bound : { ...bound, modelNames };
}
