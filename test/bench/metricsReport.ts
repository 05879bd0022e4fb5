/*
 * The canary-health rows of the report (metrics.ts measures them): a table
 * of the four modes and the issue's two bars as verdicts.
 */
import { ratio } from '../../packages/bench-backend/src/bench/stats';
import { ms, rate, scenarioName, table, times } from './format';
import type { CanaryHealthResult, CanaryMode } from './metrics';

/** The issue's bar: p95 of the read with metrics ≤ 1.3 × the read without. */
export const P95_BAR = 1.3;
/** The issue's bar: PromQL queries per uncached read, per cluster. */
export const QUERIES_BAR = 2;
const QUERY_RANGE = '/api/v1/query_range';

const LABEL: Record<CanaryMode, string> = {
  plainCached: '2 read (GET …/rollouts)',
  metricsCached: '7 read with metrics (GET …/rollouts/metrics)',
  plainUncached: '2 read (GET …/rollouts)',
  metricsUncached: '7′ read with metrics (GET …/rollouts/metrics)',
};

interface WithCanaryHealth {
  clusters: number;
  objectsPerKind: number;
  canaryHealth?: CanaryHealthResult;
  canaryHealthSkipped?: string;
}

/** The rows of the canary-health phase, or why it was skipped; '' when no scenario had it. */
export function canaryHealthTable(scenarios: WithCanaryHealth[]): string {
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const s of scenarios) {
    if (s.canaryHealthSkipped) {
      notes.push(`- ${scenarioName(s)}: skipped: ${s.canaryHealthSkipped}.`);
    }
    const c = s.canaryHealth;
    if (!c) continue;
    for (const mode of Object.keys(LABEL) as CanaryMode[]) {
      const r = c.modes[mode];
      const p = r.perOperation ?? {};
      rows.push([
        scenarioName(s),
        `${
          mode.endsWith('Uncached')
            ? c.cacheSeconds.uncached
            : c.cacheSeconds.cached
        } s`,
        LABEL[mode],
        r.errors ? `${r.count} +${r.errors} failed` : String(r.count),
        ms(r.p50),
        ms(r.p95),
        rate(r.throughput),
        ms(p.backendCpuMs),
        ms(p.clustersCpuMs),
        ms(p.prometheusCpuMs),
        ms(p.clientCpuMs),
      ]);
    }
    notes.push(
      `- ${scenarioName(s)}: Prometheus scraped every ${
        c.scrapeIntervalSeconds
      } s; during ${
        c.countedReads
      } reads with cache 0 it served ${Object.entries(c.requestsByHandler)
        .map(([h, n]) => `${n} × ${h}`)
        .join(', ')}.`,
    );
  }
  if (!rows.length && !notes.length) return '';
  return [
    ...(rows.length
      ? [
          table(
            [
              'K × M',
              'cacheSeconds',
              'what (conc. 1)',
              'n',
              'p50 ms',
              'p95 ms',
              'ops/s',
              'CPU ms/op: backends',
              'clusters',
              'Prometheus',
              'client',
            ],
            rows,
          ),
          '',
        ]
      : []),
    ...notes,
  ].join('\n');
}

/** The issue's two bars for one scenario, in the shape of report.ts's verdicts. */
export function canaryHealthVerdicts(s: WithCanaryHealth) {
  const c = s.canaryHealth;
  if (!c) return [];
  const scenario = scenarioName(s);
  const bar = (metrics: CanaryMode, plain: CanaryMode, cache: string) => {
    const p95 = ratio(c.modes[metrics].p95, c.modes[plain].p95);
    const p50 = ratio(c.modes[metrics].p50, c.modes[plain].p50);
    return {
      target: `read with metrics p95 ≤ ${P95_BAR} × read without (${
        LABEL[metrics].split(' ')[0]
      }/2), ${cache}, conc. 1`,
      scenario,
      value: `${times(p95)} (p50 ${times(p50)})`,
      met: Number.isFinite(p95) ? p95 <= P95_BAR : undefined,
    };
  };
  const q = c.queriesPerReadPerCluster;
  return [
    bar(
      'metricsCached',
      'plainCached',
      `cacheSeconds ${c.cacheSeconds.cached} (default)`,
    ),
    bar(
      'metricsUncached',
      'plainUncached',
      `cacheSeconds ${c.cacheSeconds.uncached}`,
    ),
    {
      target: `PromQL queries per uncached read ≤ ${QUERIES_BAR} per cluster (Prometheus's own count of ${QUERY_RANGE})`,
      scenario,
      value: `${q.toFixed(2)} (${c.requestsByHandler[QUERY_RANGE] ?? 0} over ${
        c.countedReads
      } reads × ${s.clusters} clusters)`,
      met: Number.isFinite(q) ? q <= QUERIES_BAR : undefined,
    },
  ];
}
