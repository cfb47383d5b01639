import { TENANTS } from '@ormai/example-quickstart/src/shop/seed';

/** A person of the demo: the tenant and roles come from here, looked up by the id in the signed session. */
export interface DemoUser {
  id: string;
  name: string;
  tenantId: string;
  tenantName: string;
  roles: string[];
}

const tenantName = (id: string) => TENANTS.find((t) => t.id === id)?.name ?? id;
const user = (id: string, name: string, tenantId: string, role: string): DemoUser => ({ id, name, tenantId, tenantName: tenantName(tenantId), roles: [role] });

/** Support agents ask the agent; finance approves large refunds (the shop policy's `large-refund` rule). */
export const DEMO_USERS: readonly DemoUser[] = [
  user('acme-avery', 'Avery', 'acme', 'agent'),
  user('acme-fran', 'Fran', 'acme', 'finance'),
  user('globex-gus', 'Gus', 'globex', 'agent'),
  user('globex-gina', 'Gina', 'globex', 'finance'),
];

export const demoUser = (id: string): DemoUser | undefined => DEMO_USERS.find((u) => u.id === id);

/** "Fran (finance)" for a user id of the demo, the id itself for anyone else. */
export const displayName = (id: string | null | undefined): string => {
  const found = id ? demoUser(id) : undefined;
  return found ? `${found.name} (${found.roles.join(', ')})` : (id ?? '');
};
