export { shopSetup, shopPolicyFor, SHOP_PRINCIPALS, SHOP_APPROVER, SHOP_SECRET } from './shop-setup.js';
export type { ShopBreak, ShopConfig, ShopSetup, ShopSetupOptions } from './shop-setup.js';
export { shopPolicySpec } from './shop-policy.js';
export { newShopLocation, dropShop, DATABASE_URL } from './shop-database.js';
export type { ShopDialect, ShopLocation } from './shop-database.js';
export type { ShopModels } from './shop-models.js';
export { writeShopConfig } from './shop-config-file.js';
