export { createOrmAI } from './create-ormai.js';
export { defineTool } from './tools/domain/define-tool.js';
export { ToolDefinitionError } from './tools/domain/tool-definition-error.js';
export type { DomainTool, DomainToolContext, FieldSanitizer, FieldSanitizers, ReadDataHandle, SearchInput, ToolAccess, WriteDataHandle } from './spec/domain-tools.js';
export { definePolicy, policyHash } from './policy/define-policy.js';
export { allowsTool } from './policy/tool-switches.js';
export type { PolicySpec, PolicyFor } from './policy/define-policy.js';
export { DEFAULT_PROD, DEFAULT_INTERNAL, DEFAULT_DEV } from './policy/profiles.js';
export type { PolicyProfile } from './policy/profiles.js';
export { bindPolicy } from './policy/bind-policy.js';
export { canonicalJson } from './policy/canonical-json.js';
export { ERROR_CODES, OrmAIError, PolicyDefinitionError, errors } from './errors.js';
export { errorWording } from './error-wording.js';
export type { AgentText } from './error-wording.js';
export { ExecutionLimitError } from './adapter.js';
export { MemoryApprovalStore } from './approvals/approval-store.js';
export { MemoryBudgetStore } from './budget/budget-store.js';
export { budgetKey } from './budget/budget-key.js';
export { assertBudgetChecks } from './budget/budget-checks.js';
export { BudgetConfigError } from './budget/budget-config-error.js';
export { ANY_FIELD } from './schema-info.js';
export { runContextSchema } from './context.js';
export { maskValue } from './redact.js';
export { COMPARISON_OPS, AGGREGATE_OPS } from './tools/input-schemas.js';
export { scrubText } from './scrub-text.js';
export { agentGuidance } from './agent-guidance.js';
export { toStoredRecord, fromStoredRecord, recordDigest, payloadDigestOf } from './audit/stored-record.js';
export { sealRecords, verifyAuditChain, signCheckpoint, checkpointIsAuthentic, GENESIS_HASH } from './audit/chain.js';
export { MemoryAuditSink } from './audit/memory-sink.js';
export { eventStreamSink, outgoingRecord, EventStreamSinkConfigError, OMITTED_INPUT } from './audit/event-stream-sink.js';
export type { EventStreamSinkOptions, IdentifierHandling, OutgoingHandling, PayloadHandling } from './audit/event-stream-sink.js';
export { teeSink, TeeSinkError } from './audit/tee-sink.js';
export { auditKeyFromSecret } from './audit/audit-key.js';
export { ORMAI_VERSION } from './version.js';

// The public interfaces: type-only modules that implement nothing (see spec/).
export type { AuditApi, BudgetsApi, CreateOrmAIOptions, OrmAI, ApprovalsApi, RunContextFor } from './spec/ormai.js';
export type { CallFacts, CallMiddleware, CallOptions, PipelineCall } from './spec/pipeline.js';
export type { RunContext, TenantRunContext } from './spec/context.js';
export type {
  ApprovalRule, AuditPolicy, AuditRetention, AuditSubjectPolicy, Budgets, FieldRule, GenericToolName, MaskStrategy, ModelPolicy, PartialBudgets, Policy, QuotaName, Quotas, ReadToolName, TenantFreePolicy,
  TenantScope, WriteOperation, WritePolicy,
} from './spec/policy.js';
export type { BoundApprovalRule, BoundField, BoundModel, BoundPolicy, BoundReference, BoundWrite, NestedKeyRule } from './spec/bound-policy.js';
export type { ErrorCode, ErrorDetailsByCode, ErrorDetailsOf, ErrorPayload, ErrorPayloadOf } from './spec/errors.js';
export type { AggregateRow, DialectCapabilities, ExecutionOptions, OrmAIAdapter, Row, WriteEffect, WriteHooks, WriteRequest } from './spec/adapter.js';
export type {
  ApprovalRecord, ApprovalStatus, ApprovalStore, BudgetCheck, BudgetDecision, BudgetEntry, BudgetKeyParts, BudgetPartsCheck, BudgetPartsEntry, BudgetStore, RequiredApproval, WriteEvent,
  WriteListener,
} from './spec/stores.js';
export type {
  AuditAction, AuditDecision, AuditEnvelope, AuditFailureMode, AuditHealth, AuditOptions, AuditPayload, AuditRecord, AuditSink, AuditWriteOptions, ChainCheckpoint,
  ChainLink, ChainProblem, ChainVerification, StoredAuditRecord, SubjectQuery, SubjectRef,
} from './spec/audit.js';
export type { ChainHead, VerifyChainInput } from './audit/chain.js';
export type { FieldInfo, FieldType, ModelInfo, RelationInfo, RelationKind, SchemaInfo } from './schema-info.js';
export type { AggregateOp, AggregatePlan, ComparisonOp, FilterNode, IncludeNode, OrderTerm, Scalar, SelectNode } from './spec/plan.js';
export type {
  AggregateInput, ApprovalStatusInput, BulkUpdateInput, ConditionInput, CreateInput, DeleteInput, DescribeSchemaInput, FilterInput, GetInput, IncludeInput,
  PreviewWriteInput, QueryInput, UpdateInput, WriteValues,
} from './spec/tool-inputs.js';
export type {
  AggregateResult, AggregateValue, ApprovalStatusResult, BulkUpdateResult, DeleteResult, DescribedField, DescribedModel, DescribeSchemaResult, GetResult,
  PreviewResult, QueryResult, ToolInput, ToolMap, ToolName, ToolOutput, ToolResult, ToolSpec, WriteRowResult,
} from './spec/tools.js';
// Operations: health, structured call logs, alerts.
export { healthHandler } from './ops/health-handler.js';
export { callLogMiddleware } from './ops/call-log.js';
export type { CallLogOptions } from './ops/call-log.js';
export { CallEventConfigError } from './ops/call-event.js';
export type { CallEvent, CallEventOptions } from './ops/call-event.js';
export { alertMiddleware } from './ops/alerts/alert-middleware.js';
export type { AlertMiddleware, AlertMiddlewareOptions } from './ops/alerts/alert-middleware.js';
export type { Alert, AlertDetector } from './ops/alerts/alert.js';
export { auditSinkDetector } from './ops/alerts/audit-sink.js';
export type { AuditSinkDetectorOptions } from './ops/alerts/audit-sink.js';
export { denialSpikeDetector, POLICY_DENIALS } from './ops/alerts/denial-spike.js';
export type { DenialSpikeOptions } from './ops/alerts/denial-spike.js';
export { writeRateDetector } from './ops/alerts/write-rate.js';
export type { WriteRateOptions } from './ops/alerts/write-rate.js';
export { statementTimeoutDetector } from './ops/alerts/statement-timeouts.js';
export type { RateThresholds } from './ops/alerts/rate-detector.js';
export type { AuditHealthCheck, BudgetStoreHealthCheck, DatabaseHealthCheck, HealthOptions, HealthProblem, HealthReport, HealthStatus } from './spec/health.js';
// Admin / cross-tenant operations: a tenant-free policy behind admin roles, audited to its own channel.
export { createAdminOrmAI } from './admin/create-admin-ormai.js';
export type { CreateAdminOrmAIOptions } from './admin/create-admin-ormai.js';
export { AdminConfigError } from './admin/admin-config-error.js';
