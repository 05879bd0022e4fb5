/*
 * Number formats and Markdown tables of the bench's reports (report.ts,
 * metrics.ts).
 */

/** Milliseconds with 2–3 significant digits; '–' when unknown. */
export function ms(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '–';
  if (x >= 100) return x.toFixed(0);
  return x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

/** Operations per second. */
export function rate(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '–';
  if (x >= 100) return x.toFixed(0);
  return x >= 1 ? x.toFixed(1) : x.toFixed(2);
}

/** A ratio, e.g. `1.25×`. */
export const times = (x: number) =>
  Number.isFinite(x) ? `${x.toFixed(2)}×` : '–';

/** A Markdown table (which reads fine in a terminal too). */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map(r => (r[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

/** A scenario's name, e.g. `10 × 2,000` (K clusters × M objects per kind). */
export const scenarioName = (s: { clusters: number; objectsPerKind: number }) =>
  `${s.clusters} × ${s.objectsPerKind.toLocaleString('en-US')}`;
