import { escapeHtml } from './escape.js';

export interface Bar {
  label: string;
  value: number;
  /** Shown at the bar's end. */
  text: string;
  /** A reference line on this bar (an SLA). */
  marker?: number | null | undefined;
  tone?: 'ok' | 'bad' | 'neutral' | undefined;
}

const WIDTH = 680;
const LABEL = 220;
const VALUE = 90;
const ROW = 26;
const BAR = 16;

/** A horizontal bar chart as inline SVG: no script, no external asset, readable without CSS. */
export function barChart(title: string, bars: readonly Bar[]): string {
  const max = Math.max(1, ...bars.map((b) => Math.max(b.value, b.marker ?? 0)));
  const span = WIDTH - LABEL - VALUE;
  const x = (v: number) => LABEL + (Math.max(0, v) / max) * span;
  const height = bars.length * ROW + 8;
  const rows = bars.map((bar, i) => {
    const y = 4 + i * ROW;
    const width = Math.max(2, x(bar.value) - LABEL);
    const label = bar.label.length > 32 ? `${bar.label.slice(0, 31)}…` : bar.label;
    const marker = bar.marker === null || bar.marker === undefined ? '' :
      `<line class="marker" x1="${x(bar.marker).toFixed(1)}" x2="${x(bar.marker).toFixed(1)}" y1="${y}" y2="${y + BAR + 4}"><title>SLA</title></line>`;
    return `<g class="bar-row"><text class="label" x="${LABEL - 8}" y="${y + BAR - 3}" text-anchor="end">${escapeHtml(label)}<title>${escapeHtml(bar.label)}</title></text>` +
      `<rect class="bar ${bar.tone ?? 'neutral'}" x="${LABEL}" y="${y + 2}" width="${width.toFixed(1)}" height="${BAR}" rx="2"/>` +
      `<text class="value" x="${(LABEL + width + 6).toFixed(1)}" y="${y + BAR - 3}">${escapeHtml(bar.text)}</text>${marker}</g>`;
  });
  return `<svg class="chart" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" xmlns="http://www.w3.org/2000/svg">` +
    `<title>${escapeHtml(title)}</title>${rows.join('')}</svg>`;
}
