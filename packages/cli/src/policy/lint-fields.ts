import type { FieldRule, SchemaInfo } from '@ormai/core';
import type { LintFinding } from './lint-finding.js';
import type { ModelView } from './policy-view.js';
import { namesMatching, secretLookingNames } from './probe-binding.js';

/**
 * Names of fields that usually hold free text a person typed (notes, messages, descriptions): PII and
 * secrets end up there whatever the column is called. The schema only says "string", so names decide.
 */
export const FREE_TEXT_GLOBS = [
  '<* notes>', '<* note>', '<* comment*>', '<* description>', '<* desc>', '<* body>', '<* message*>', '<* content>', '<* bio>', '<* remarks>',
  '<* memo>', '<* text>', '<* transcript>', '<* feedback>', '<* instructions>',
];

const PARTIAL: ReadonlySet<FieldRule> = new Set(['email', 'last4']);

interface Candidate {
  model: string;
  field: string;
  /** Attribute and column names. */
  names: string[];
  rule: FieldRule;
  /** Only string fields count as free text. */
  text: boolean;
}

/** With a schema: every field the agent reads; without: the fields the policy explicitly opens. */
function candidates(models: ModelView[], schema: SchemaInfo | undefined): Candidate[] {
  return models.flatMap((model) => {
    if (!model.fields) {
      return Object.entries(model.statedFields).map(([field, rule]) => ({ model: model.name, field, names: [field], rule, text: true }));
    }
    return model.fields
      .filter((f) => f.readable)
      .map((f) => {
        const column = schema?.models[model.name]?.fields[f.name]?.column;
        return { model: model.name, field: f.name, names: column && column !== f.name ? [f.name, column] : [f.name], rule: f.rule, text: f.type === 'string' };
      });
  });
}

/** Secret-looking fields readable in clear (or partly, through a last-4 or email mask) and free-text fields readable in clear. */
export function lintFields(models: ModelView[], schema: SchemaInfo | undefined): LintFinding[] {
  const all = candidates(models, schema);
  const names = [...new Set(all.flatMap((c) => c.names))];
  const secret = secretLookingNames(names);
  const freeText = namesMatching(names, FREE_TEXT_GLOBS);
  const findings: LintFinding[] = [];
  for (const c of all) {
    const at = `${c.model}.${c.field}`;
    if (c.names.some((n) => secret.has(n)) && (c.rule === 'allow' || PARTIAL.has(c.rule))) {
      findings.push(
        c.rule === 'allow'
          ? { rule: 'secret-readable', severity: 'error', at, message: `${at} looks like a secret and the agent reads it in clear; remove the 'allow' rule (core denies such names by default)` }
          : { rule: 'secret-readable', severity: 'warning', at, message: `${at} looks like a secret and the agent reads part of it ('${c.rule}' mask); deny it or mask it 'full'` },
      );
    } else if (c.text && c.rule === 'allow' && c.names.some((n) => freeText.has(n))) {
      findings.push({
        rule: 'free-text-readable',
        severity: 'warning',
        at,
        message: `${at} looks like free text (people type emails, phone numbers and card numbers into it) and the agent reads it in clear; deny it, or mark it 'sanitize' to show it with those scrubbed`,
      });
    }
  }
  return findings;
}
