/**
 * Permissions, API types and pure routing logic shared by the Istio Rollouts
 * frontend and backend plugins.
 *
 * @packageDocumentation
 */

export * from './permissions';
export * from './api';
export { routeLabel } from './routeLabel';
export { listWords } from './listWords';
export * from './routing';
export * from './actions';
export * from './health';
export * from './state';
// Step plans' wire types stay out of api/index.ts until an endpoint serves them: the backend's wireTypes test holds
// every type there to a schema of openapi.yaml.
export * from './api/plans';
export * from './plans';
