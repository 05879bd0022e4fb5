/**
 * The PromQL of the canary analysis, over Istio's standard metrics as the destination's sidecar reports them:
 * two queries per cluster, whatever the number of workloads, each batched over all of them.
 *
 * Pure: strings in, strings out.
 */

/** A Deployment whose pods Istio reports as `destination_workload` in `destination_workload_namespace`. */
export interface WorkloadRef {
  namespace: string;
  name: string;
}

/** What a cluster's two queries select. */
export interface IstioQueryOptions {
  workloads: WorkloadRef[];
  /** The rate window, in seconds. */
  windowSeconds: number;
  /** For a Prometheus holding several clusters: the label and value that select this one. */
  cluster?: { label: string; name: string };
}

/** The quantiles of the latency query, as its `quantile` label says them. */
export const LATENCY_QUANTILES = ['0.5', '0.99'] as const;

/** The response codes that count as errors: any 5xx. */
export const ERROR_RESPONSE_CODE = /^5\d\d$/;

/** A value as a PromQL double-quoted string. */
export function promString(value: string): string {
  return `"${value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')}"`;
}

/** A value matched literally by an RE2 regular expression. */
export function regexLiteral(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `a|b|c`, each literal, sorted and without repeats (Prometheus anchors the whole regex). */
function alternatives(values: string[]): string {
  return [...new Set(values)].sort().map(regexLiteral).join('|');
}

/** The label matchers both queries share. */
function selector(options: IstioQueryOptions): string {
  if (options.workloads.length === 0) {
    throw new Error('An Istio query needs at least one workload');
  }
  const matchers = [
    'reporter="destination"',
    `destination_workload=~${promString(
      alternatives(options.workloads.map(w => w.name)),
    )}`,
    `destination_workload_namespace=~${promString(
      alternatives(options.workloads.map(w => w.namespace)),
    )}`,
    ...(options.cluster
      ? [`${options.cluster.label}=${promString(options.cluster.name)}`]
      : []),
  ];
  return `{${matchers.join(', ')}}`;
}

function window(options: IstioQueryOptions): string {
  if (!Number.isInteger(options.windowSeconds) || options.windowSeconds <= 0) {
    throw new Error(
      `The rate window must be a positive whole number of seconds, got ${options.windowSeconds}`,
    );
  }
  return `[${options.windowSeconds}s]`;
}

/**
 * Requests per second per workload and response code:
 * `sum by (destination_workload, destination_workload_namespace, response_code) (rate(istio_requests_total{…}[60s]))`.
 * The workload and namespace regexes may pair a name with the wrong namespace: the caller keeps only the
 * pairs it asked for.
 */
export function requestsQuery(options: IstioQueryOptions): string {
  return `sum by (destination_workload, destination_workload_namespace, response_code) (rate(istio_requests_total${selector(
    options,
  )}${window(options)}))`;
}

/**
 * p50 and p99 latency in milliseconds per workload, in one query, told apart by a `quantile` label:
 * `label_replace(histogram_quantile(0.5, …), "quantile", "0.5", "", "") or label_replace(histogram_quantile(0.99, …), …)`.
 * A workload without requests in the window has no value (NaN).
 */
export function latencyQuery(options: IstioQueryOptions): string {
  const buckets = `sum by (le, destination_workload, destination_workload_namespace) (rate(istio_request_duration_milliseconds_bucket${selector(
    options,
  )}${window(options)}))`;
  return LATENCY_QUANTILES.map(
    q =>
      `label_replace(histogram_quantile(${q}, ${buckets}), "quantile", "${q}", "", "")`,
  ).join(' or ');
}
