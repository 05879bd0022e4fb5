/**
 * Backend plugin for Istio Rollouts: turns set weight, promote, roll back and
 * switch into guarded patches of Istio VirtualServices and DestinationRules.
 *
 * @packageDocumentation
 */

export { istioRolloutsPlugin as default } from './plugin';
