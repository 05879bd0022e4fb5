/**
 * Istio Rollouts for Backstage's new frontend system.
 *
 * @packageDocumentation
 */
export {
  default,
  istioRolloutsApi,
  istioRolloutsEntityCard,
  istioRolloutsEntityContent,
  istioRolloutsPage,
} from './plugin';
