export { sequelizeAdapter } from './sequelize-adapter.js';
export type { SequelizeAdapterOptions } from './sequelize-adapter.js';
export { sequelizeApprovalStore } from './approval-store.js';
export { PgReadPool } from './pg-read-pool.js';
