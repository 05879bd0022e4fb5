/**
 * The Istio Rollouts demo's permission policy, as a module of the permission
 * backend: everyone may read, only an entity's owners may update or promote
 * its traffic, and `istioRolloutsDemo.policy` (owner | allow | deny) switches
 * it. The demo backend and the bench backend both install it.
 *
 * @packageDocumentation
 */
export { demoPermissionPolicyModule as default } from './module';
export {
  DEMO_POLICY_KEY,
  DEMO_POLICY_MODES,
  DemoPermissionPolicy,
  liveDemoPolicyMode,
  readDemoPolicyMode,
} from './permissionPolicy';
export type { DemoPolicyMode } from './permissionPolicy';
