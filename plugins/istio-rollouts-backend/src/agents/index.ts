import type {
  AuditorService,
  AuthService,
} from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { RolloutActionsService } from '../actions';
import type { PlanService } from '../plans';
import type { EntityMetricsService } from '../service/EntityMetricsService';
import type { EntityRolloutsService } from '../service/EntityRolloutsService';
import { registerPlanActions } from './planActions';
import { registerReadActions } from './readActions';
import { registerWriteActions } from './writeActions';

/**
 * The plugin's actions in Backstage's actions registry (`istio-rollouts:<name>`), which the MCP actions backend
 * serves to AI assistants as tools once `backend.actions.pluginSources` lists `istio-rollouts`. Every one goes
 * through the services the HTTP API uses: there is one way to change traffic.
 */
export function registerAgentActions(
  registry: ActionsRegistryService,
  services: {
    rollouts: EntityRolloutsService;
    metrics: EntityMetricsService;
    actions: RolloutActionsService;
    plans: PlanService;
    auth: AuthService;
    auditor: AuditorService;
  },
): void {
  registerReadActions(registry, services);
  registerWriteActions(registry, services);
  registerPlanActions(registry, services);
}
