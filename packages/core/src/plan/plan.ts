import type { FilterNode } from '../spec/plan.js';

export const TRUE: FilterNode = { kind: 'and', children: [] };

export function and(...nodes: FilterNode[]): FilterNode {
  const children = nodes.flatMap((n) => (n.kind === 'and' ? n.children : [n]));
  return children.length === 1 ? children[0]! : { kind: 'and', children };
}
