/*
 * Prometheus' text exposition format 0.0.4: `# HELP`, `# TYPE`, one sample
 * per line, label values escaped.
 */
import type { CounterSeries } from './counters';

export const EXPOSITION_CONTENT_TYPE =
  'text/plain; version=0.0.4; charset=utf-8';

export const REQUESTS_TOTAL = 'istio_requests_total';
export const REQUEST_DURATION = 'istio_request_duration_milliseconds';

/** A label value, escaped: backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n');
}

/** HELP text, escaped: backslash and line feed. */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A sample value as Prometheus parses it (Go's ParseFloat, plus `+Inf`, `-Inf`, `NaN`). */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** `{a="1",b="2"}`, or nothing without labels. */
export function formatLabels(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(
    ([k, v]) => `${k}="${escapeLabelValue(v)}"`,
  );
  return parts.length ? `{${parts.join(',')}}` : '';
}

function header(name: string, type: string, help: string): string[] {
  return [`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`];
}

/** The exposition of Istio's request count and duration histogram. */
export function renderExposition(
  series: readonly CounterSeries[],
  bounds: readonly number[],
): string {
  const lines = header(
    REQUESTS_TOTAL,
    'counter',
    'Total number of requests (simulated by kube-sim).',
  );
  for (const s of series) {
    lines.push(
      `${REQUESTS_TOTAL}${formatLabels(s.labels)} ${formatValue(s.requests)}`,
    );
  }
  lines.push(
    ...header(
      REQUEST_DURATION,
      'histogram',
      'Request duration in milliseconds (simulated by kube-sim).',
    ),
  );
  for (const s of series) {
    s.buckets.forEach((count, i) => {
      const labels = formatLabels({ ...s.labels, le: String(bounds[i]) });
      lines.push(`${REQUEST_DURATION}_bucket${labels} ${formatValue(count)}`);
    });
    const inf = formatLabels({ ...s.labels, le: '+Inf' });
    lines.push(`${REQUEST_DURATION}_bucket${inf} ${formatValue(s.requests)}`);
    const labels = formatLabels(s.labels);
    lines.push(
      `${REQUEST_DURATION}_sum${labels} ${formatValue(s.durationSumMs)}`,
    );
    lines.push(`${REQUEST_DURATION}_count${labels} ${formatValue(s.requests)}`);
  }
  return `${lines.join('\n')}\n`;
}
