import type { LintFinding } from './lint-finding.js';
import type { ModelView } from './policy-view.js';

/**
 * A model other generic tools reach while db_describe_schema is switched off for it: the agent is not
 * told its fields, relations and masks, so it guesses names and wastes calls on refusals.
 */
export function lintTools(models: ModelView[]): LintFinding[] {
  return models
    .filter((model) => model.tools.length > 0 && !model.tools.includes('db_describe_schema'))
    .map((model) => ({
      rule: 'schema-hidden',
      severity: 'warning',
      at: `${model.name}.tools`,
      message: `${model.name} is reachable by ${model.tools.join(', ')} but db_describe_schema is off for it: the agent must guess its fields; switch db_describe_schema on with them`,
    }));
}
