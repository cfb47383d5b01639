import { afterAll, describe, expect, it } from 'vitest';
import { shopSetup, type ShopConfig } from './shop-setup.js';

describe.each(['sqlite', 'postgres'] as const)('the shop fixture on %s', (dialect) => {
  const configs: ShopConfig[] = [];
  afterAll(async () => {
    for (const config of configs) await config.destroy();
  });

  it('seeds once, scopes tenants, masks PII and audits every call', async () => {
    const config = shopSetup({ dialect });
    configs.push(config);
    const first = await config.setup();
    const res = await first.ormai.call('db_query', { model: 'Customer', limit: 25 }, config.principals.a);
    expect(res.ok).toBe(true);
    const rows = res.ok ? res.data.rows : [];
    expect(rows).toHaveLength(20);
    expect(rows.every((r) => String(r.email).includes('***') && !('passwordHash' in r))).toBe(true);
    await first.close();

    const second = await config.setup(); // same location: no second seed
    expect(await second.models.Customer.count()).toBe(40);
    const verified = await second.ormai.audit.verify();
    expect(verified).toMatchObject({ ok: true, count: 1 });
    await second.close();
  });

  it('applies named breaks', async () => {
    const config = shopSetup({ dialect, breaks: ['secret-field'], audit: false });
    configs.push(config);
    const { ormai, close } = await config.setup();
    const res = await ormai.call('db_get', { model: 'Customer', id: 1 }, config.principals.a);
    expect(res.ok && 'passwordHash' in res.data.row).toBe(true);
    expect(ormai.audit.enabled).toBe(false);
    await close();
  });
});
