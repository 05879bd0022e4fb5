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
