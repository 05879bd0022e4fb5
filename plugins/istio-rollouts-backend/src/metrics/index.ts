export {
  DEFAULT_CANARY_ANALYSIS,
  DEFAULT_PROMETHEUS_TIMEOUT_MS,
  readCanaryAnalysis,
  readClusterPrometheus,
  readMetricsConfig,
} from './metricsConfig';
export type {
  CanaryAnalysis,
  ClusterPrometheus,
  MetricsConfig,
  PrometheusConfig,
} from './metricsConfig';
export {
  latencyQuery,
  requestsQuery,
  promString,
  regexLiteral,
} from './istioQueries';
export type { IstioQueryOptions, WorkloadRef } from './istioQueries';
export { PrometheusClient, PrometheusQueryError } from './PrometheusClient';
export type {
  PrometheusApi,
  PrometheusErrorReason,
  PrometheusSeries,
  QueryRange,
} from './PrometheusClient';
export { RolloutMetricsReader } from './RolloutMetricsReader';
export type { PrometheusClientFactory } from './RolloutMetricsReader';
