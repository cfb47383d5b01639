import { errors } from '../errors.js';
import type { BoundModel, BoundPolicy } from '../spec/bound-policy.js';
import type { ReadToolName } from '../spec/policy.js';
import type { IncludeInput } from '../spec/tool-inputs.js';
import { and } from '../plan/plan.js';
import type { IncludeNode } from '../spec/plan.js';
import type { Projection } from '../redact.js';
import { authorizeFilter } from './filter.js';
import { scopePredicate } from './scope.js';
import { own } from '../own.js';
import { subjectFields } from '../audit/collect-subjects.js';
import { errorWording } from '../error-wording.js';

interface PlanScope {
  bound: BoundPolicy;
  tenantId: string | null;
  tool: ReadToolName;
}

export const unique = <T>(items: T[]): T[] => [...new Set(items)];

/** Output fields: the request's `select`, or every readable field. Unknown and denied fields get the same answer (no existence oracle). */
export function resolveSelect(model: BoundModel, select: string[] | undefined): string[] {
  if (!select) return model.readable;
  for (const field of select) {
    if (!model.readable.includes(field)) throw errors.fieldNotAllowed(model.name, field, 'select', model.readable);
  }
  return unique(select);
}

export const projectionFields = (model: BoundModel, fields: string[]): Projection['fields'] =>
  fields.map((name) => {
    const { rule, nested, sanitizer } = model.fields[name]!;
    return { name, rule, ...(nested ? { nested } : {}), ...(sanitizer ? { sanitizer } : {}) };
  });

function includeDepth(includes: IncludeInput[] | undefined): number {
  if (!includes?.length) return 0;
  return 1 + Math.max(...includes.map((i) => includeDepth(i.include)));
}

/** Bounds nesting before anything else is resolved, so the error names the real depth. */
export function checkJoinDepth(includes: IncludeInput[] | undefined, maxJoinDepth: number): void {
  const depth = includeDepth(includes);
  if (depth > maxJoinDepth) throw errors.joinDepthExceeded(depth, maxJoinDepth);
}

/**
 * Plans includes recursively. Each included model gets its own tenant predicate, field checks and
 * row cap, exactly as a root query would.
 */
export function planIncludes(
  parent: BoundModel,
  includes: IncludeInput[] | undefined,
  scope: PlanScope,
): { nodes: IncludeNode[]; projections: Projection['includes'] } {
  const nodes: IncludeNode[] = [];
  const projections: Projection['includes'] = [];
  const seen = new Set<string>();
  for (const include of includes ?? []) {
    if (seen.has(include.relation)) {
      throw errors.invalidInput(errorWording.invalidInput.includedTwice(include.relation));
    }
    seen.add(include.relation);
    // A relation into a model this tool may not touch is not offered (see toolView).
    const relation = own(parent.relations, include.relation);
    if (!relation || !scope.bound.modelNames.includes(relation.target)) {
      throw errors.relationNotAllowed(parent.name, include.relation, parent.relationNames.filter((r) => scope.bound.modelNames.includes(parent.relations[r]!.target)));
    }
    const target = scope.bound.models[relation.target]!;
    const { maxRows } = scope.bound.budgetsFor(target, scope.tool);
    const many = relation.kind === 'hasMany';
    if (include.limit !== undefined && include.limit > maxRows) throw errors.maxRowsExceeded(target.name, include.limit, maxRows);
    const fields = resolveSelect(target, include.select);
    const children = planIncludes(target, include.include, scope);
    nodes.push({
      model: target.name,
      relation,
      fields: unique([...fields, target.primaryKey, ...subjectFields(target)]),
      filter: and(scopePredicate(target, scope.tenantId), authorizeFilter(include.where, target)),
      orderBy: [{ field: target.primaryKey, direction: 'asc' }],
      limit: many ? (include.limit ?? maxRows) : 1,
      includes: children.nodes,
    });
    projections.push({
      relation: include.relation,
      many,
      projection: { fields: projectionFields(target, fields), includes: children.projections },
    });
  }
  return { nodes, projections };
}
