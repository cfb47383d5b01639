import { allowsTool, type Policy } from '@ormai/core';
import type { PolicyChange } from './diff-change.js';
import type { ModelView } from './policy-view.js';
import { GENERIC_TOOLS } from './tool-switches.js';

/**
 * A model's tool switches that changed, for the tools that can touch it on either side (a write tool
 * appearing with a new write operation is the writes group's news, not a switch).
 */
export function diffModelTools(before: ModelView, after: ModelView, a: Policy, b: Policy): PolicyChange[] {
  const name = after.name;
  const relevant = GENERIC_TOOLS.filter((tool) => before.tools.includes(tool) || after.tools.includes(tool));
  return relevant
    .filter((tool) => allowsTool(a, name, tool) !== allowsTool(b, name, tool))
    .map((tool) =>
      allowsTool(b, name, tool)
        ? { group: 'tools', effect: 'grant', at: `${name}.tools.${tool}`, message: `${name}: ${tool} now switched on` }
        : { group: 'tools', effect: 'restrict', at: `${name}.tools.${tool}`, message: `${name}: ${tool} now switched off${after.tools.length ? '' : ' (no generic tool left: domain tools only)'}` },
    );
}

/** The policy-wide list; its effect on each model is reported per model, so this line counts as neither grant nor restrict. */
export function diffGlobalTools(a: Policy, b: Policy): PolicyChange[] {
  const on = (p: Policy) => GENERIC_TOOLS.filter((tool) => p.tools?.includes(tool) ?? true);
  const [was, is] = [on(a), on(b)];
  const added = is.filter((t) => !was.includes(t));
  const removed = was.filter((t) => !is.includes(t));
  if (!added.length && !removed.length) return [];
  const parts = [added.length ? `${added.join(', ')} added` : '', removed.length ? `${removed.join(', ')} removed` : ''].filter(Boolean);
  return [{ group: 'tools', effect: 'change', at: 'tools', message: `generic tools offered: ${parts.join('; ')}` }];
}
