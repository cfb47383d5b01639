export { sequelizeAdapter } from './sequelize-adapter.js';
export type { SequelizeAdapterOptions } from './sequelize-adapter.js';
export { introspect } from './introspect.js';
export type { Introspection, TableMeta } from './introspect.js';
export { estimateRowsScanned } from './scan/pg-explain-estimate.js';
export type { PgPlanNode } from './scan/pg-explain-estimate.js';
export { sequelizeApprovalStore } from './approval-store.js';
export { PgReadPool } from './pg-read-pool.js';
