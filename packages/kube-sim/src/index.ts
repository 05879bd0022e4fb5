/*
 * kube-sim: a Kubernetes API server simulator with Istio CRDs, reached over
 * real HTTP by any Kubernetes client.
 *
 * @packageDocumentation
 */
export { startKubeSim } from './sim';
export type { KubeSim, KubeSimOptions } from './sim';
export { loadManifestFiles, parseManifests } from './manifests';
export { runCli } from './cli';
export type { UsersConfig, UserSpec, GroupSpec, Rule } from './auth';
export { parseUsersFile } from './auth';
export type { FaultSpec, Fault } from './faults';
export type { RequestLogEntry } from './requestLog';
export type { KubeObject, ObjectMeta } from './objects';
export type { ManifestResult } from './manifests';
export type { Status, StatusCause, StatusDetails } from './status';
export { KubeApiError } from './status';
export { Store } from './store';
export { KubeApi } from './api';
export { Faults } from './faults';
export { RequestLog } from './requestLog';
export { MeshTelemetry } from './telemetry/telemetry';
export type { MeshTelemetryOptions } from './telemetry/telemetry';
export {
  computeTraffic,
  MESH_ANNOTATIONS,
  DEFAULT_REQUESTS_PER_SECOND,
  DEFAULT_MATCH_REQUESTS_PER_SECOND,
  DEFAULT_LATENCY_MS,
} from './telemetry/model';
export type { MeshObjects, WorkloadTraffic } from './telemetry/model';
export {
  ISTIO_DURATION_BUCKETS_MS,
  latencyDistribution,
  histogramQuantile,
} from './telemetry/histogram';
export type { LatencyDistribution } from './telemetry/histogram';
export type { CounterSeries } from './telemetry/counters';
export {
  EXPOSITION_CONTENT_TYPE,
  REQUESTS_TOTAL,
  REQUEST_DURATION,
} from './telemetry/exposition';
export {
  startPrometheus,
  findPrometheus,
  waitForScrape,
  queryPrometheus,
  prometheusConfig,
  PROMETHEUS_INSTALL_HINT,
} from './prometheus';
export type {
  PrometheusTarget,
  StartPrometheusOptions,
  RunningPrometheus,
  PromSample,
} from './prometheus';
