import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { reviewHtml } from './html.js';
import { reviewMarkdown } from './markdown.js';
import type { Review } from './review-data.js';

/** Writes review.md and review.html into `dir` (created if missing); returns their paths. */
export function writeReviewFiles(review: Review, dir: string): { markdown: string; html: string } {
  const out = resolve(dir);
  mkdirSync(out, { recursive: true });
  const files = { markdown: join(out, 'review.md'), html: join(out, 'review.html') };
  writeFileSync(files.markdown, reviewMarkdown(review));
  writeFileSync(files.html, reviewHtml(review));
  return files;
}
