import type { BenchEnvironment } from '../environment.js';
import type { Section } from '../report.js';
import { auditReads } from './audit-reads.js';
import { auditSealing } from './audit-sealing.js';
import { resetAuditTables } from './audit-support.js';
import { auditWrites } from './audit-writes.js';

/** The audit trail: sealing throughput, then its overhead on reads and on writes. Leaves the audit tables empty. */
export async function audit(env: BenchEnvironment): Promise<Section[]> {
  const sections = [await auditSealing(env), await auditReads(env), await auditWrites(env)];
  await resetAuditTables(env.sequelize);
  return sections;
}
