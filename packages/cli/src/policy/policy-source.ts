import { readFile } from 'node:fs/promises';
import { definePolicy, type Policy, type PolicyDefinitionError, type PolicySpec, type SchemaInfo } from '@ormai/core';
import { loadConfig } from '../load-config.js';
import type { DomainToolView } from './policy-view.js';

/** A policy file or command line the policy commands cannot use: the CLI prints the message and exits with 2. */
export class PolicyInputError extends Error {
  override readonly name = 'PolicyInputError';
}

/** By name, not instanceof: the config module may load its own copy of @ormai/core. */
export const isPolicyDefinitionError = (error: unknown): error is PolicyDefinitionError =>
  error instanceof Error && error.name === 'PolicyDefinitionError' && Array.isArray((error as { problems?: unknown }).problems);

/** The JSON of a policy file, as written. */
export async function readPolicyJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new PolicyInputError(`policy file not found or unreadable: ${path}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new PolicyInputError(`${path} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * A serialized policy (`JSON.stringify(policy)`) or a spec in JSON, through `definePolicy`: the same policy
 * the application runs. Throws PolicyDefinitionError listing what is wrong.
 */
export const policyFromJson = (raw: unknown): Policy => definePolicy(raw as PolicySpec);

export async function readPolicyFile(path: string): Promise<Policy> {
  const raw = await readPolicyJson(path);
  try {
    return policyFromJson(raw);
  } catch (error) {
    if (isPolicyDefinitionError(error)) throw new PolicyInputError(`${path}: ${error.message}`);
    throw error;
  }
}

/** The policy, database schema and domain tools of the config's setup, which is closed again right after. */
export async function policyFromConfig(configPath: string | undefined): Promise<{ policy: Policy; schema: SchemaInfo; domainTools: DomainToolView[] }> {
  const config = await loadConfig(configPath);
  const { ormai, close } = await config.setup();
  try {
    // Domain tools are every offered tool outside the db_ prefix, which core reserves for its own.
    const domainTools = ormai.tools().filter((t) => !t.name.startsWith('db_')).map(({ name, access, description }) => ({ name, access, description }));
    return { policy: ormai.policy, schema: ormai.adapter.introspect(), domainTools };
  } finally {
    await close?.();
  }
}
