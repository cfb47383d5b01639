// `@ormai/core/testing`: suites for people who implement OrmAI's interfaces. No test framework is a
// dependency: pass your own `describe`, `it` and `expect`.
export { budgetStoreConformance } from './testing/budget-store-conformance.js';
export type { ConformanceExpect, ConformanceFramework, MakeBudgetStore } from './testing/budget-store-conformance.js';
export { expectCall, CallExpectationError } from './testing/expect-call.js';
export type { CallExpectation } from './testing/expect-call.js';
export { auditRecordFixture } from './testing/audit-record-fixture.js';
export type { AuditRecordOverrides } from './testing/audit-record-fixture.js';
