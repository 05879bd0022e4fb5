/*
 * What the HTTP side serves from, shared by the Kubernetes request handling
 * and the /_sim/ control API.
 */
import type { KubeApi } from '../api';
import type { UsersConfig } from '../auth';
import type { Faults } from '../faults';
import type { RequestLog } from '../requestLog';
import type { Store } from '../store';
import type { MeshTelemetry } from '../telemetry/telemetry';

export interface ServerContext {
  api: KubeApi;
  store: Store;
  faults: Faults;
  requests: RequestLog;
  /** Without users every request is served as cluster-admin. */
  users?: UsersConfig;
  bookmarkIntervalMs: number;
  /** The simulated mesh's telemetry, served at /metrics; none when turned off. */
  telemetry?: MeshTelemetry;
}
