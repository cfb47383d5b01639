import { agentGuidance, type OrmAI, type Policy } from '@ormai/core';

/** The system-prompt section that teaches the model the tools and how to recover from each error code. No tenant id in it. */
export function ormaiSystemPrompt(source: OrmAI | Policy): string {
  return agentGuidance('policy' in source ? source.policy : source);
}
