/**
 * Who is asking, supplied by the host application per call. The tenant never comes from model input.
 * `tenantId` is required whenever any model of the policy is tenant-scoped: see `TenantRunContext`.
 */
export interface RunContext {
  tenantId?: string | undefined;
  userId: string;
  roles?: string[] | undefined;
  sessionId?: string | undefined;
  requestId?: string | undefined;
  traceId?: string | undefined;
}

/** The context of a call under a tenant-scoped policy: `tenantId` is required (the runtime refuses a call without it too). */
export interface TenantRunContext extends RunContext {
  tenantId: string;
}
