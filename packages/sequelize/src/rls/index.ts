export { applyRlsPolicies } from './apply.js';
export { DEFAULT_TENANT_SETTING, RlsConfigError, type RlsOptions } from './options.js';
export { RLS_POLICY_NAME, rlsPolicySql, type RlsPolicyOptions, type RlsTable } from './policy-sql.js';
