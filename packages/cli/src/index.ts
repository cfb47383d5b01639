export { defineConfig } from './config.js';
export type { OrmAIConfig, OrmAISetup } from './config.js';
export { buildProgram, EXIT } from './program.js';
