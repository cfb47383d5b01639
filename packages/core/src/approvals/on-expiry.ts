import type { ApprovalRecord, ApprovalStore } from '../spec/stores.js';

/** The store, telling `expired` about each request it moved to `expired` (once: the update is compare-and-set). */
export function onExpiry(store: ApprovalStore, expired: (record: ApprovalRecord) => Promise<void>): ApprovalStore {
  return {
    get transactional() {
      return store.transactional;
    },
    create: (record) => store.create(record),
    get: (id) => store.get(id),
    list: (filter) => store.list(filter),
    async update(id, version, patch, transaction) {
      const updated = await store.update(id, version, patch, transaction);
      if (updated && patch.status === 'expired') {
        const record = await store.get(id);
        if (record) await expired(record);
      }
      return updated;
    },
  };
}
