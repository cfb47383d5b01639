export { ormaiTools } from './ormai-tools.js';
export type { OrmAIToolsOptions, ToolErrorResult } from './ormai-tools.js';
export { ormaiStopWhen } from './stop-when.js';
export { ormaiSystemPrompt } from './system-prompt.js';
export { ormaiOutputLogger } from './output-logger.js';
export type { ModelOutputRecord, OutputLoggerOptions } from './output-logger.js';
export type { ContextOption, ContextSource } from './run-context.js';
