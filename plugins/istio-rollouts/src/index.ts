/**
 * Rollouts tab for Backstage entity pages: Istio canaries and blue/green
 * releases, and the controls to move their traffic.
 *
 * @packageDocumentation
 */

export { istioRolloutsPlugin, EntityIstioRolloutsContent } from './plugin';
export { isIstioRolloutsAvailable } from './annotations';
