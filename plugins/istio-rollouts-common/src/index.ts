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
export { personName } from './personName';
export * from './routing';
export * from './actions';
export * from './health';
export * from './state';
export * from './plans';
