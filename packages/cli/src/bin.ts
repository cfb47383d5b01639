#!/usr/bin/env node
import { buildProgram, EXIT } from './program.js';

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`ormai: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = EXIT.unusable;
}
