// `@ormai/core/testing`: suites for people who implement OrmAI's interfaces. No test framework is a
// dependency: pass your own `describe`, `it` and `expect`.
export { budgetStoreConformance } from './testing/budget-store-conformance.js';
export type { ConformanceExpect, ConformanceFramework, MakeBudgetStore } from './testing/budget-store-conformance.js';
