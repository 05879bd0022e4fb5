export { RolloutsReader } from './RolloutsReader';
export type {
  BuildRollouts,
  RolloutReadModel,
  RolloutsRead,
} from './RolloutsReader';
export { fetchClusterObjects } from './fetchClusterObjects';
export { withTimeout } from './withTimeout';
