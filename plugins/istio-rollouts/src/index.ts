/**
 * Rollouts tab for Backstage entity pages: Istio canaries and blue/green
 * releases, and the controls to move their traffic; and a portal-wide page of
 * every active rollout.
 *
 * The new frontend system's plugin is at `@internal/plugin-istio-rollouts/alpha`.
 *
 * @packageDocumentation
 */

export {
  istioRolloutsPlugin,
  EntityIstioRolloutsContent,
  EntityIstioRolloutsCard,
  IstioRolloutsPage,
} from './plugin';
export { isIstioRolloutsAvailable } from './annotations';
export { istioRolloutsApiRef, IstioRolloutsClient } from './api';
export type { IstioRolloutsApi } from './api';
export type { EntityIstioRolloutsContentProps } from './components/EntityIstioRolloutsContent';
export type { EntityIstioRolloutsCardProps } from './components/EntityIstioRolloutsCard';
export type { IstioRolloutsPageProps } from './components/IstioRolloutsPage';
