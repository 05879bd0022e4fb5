export { RolloutsReader } from './RolloutsReader';
export type {
  BuildRollouts,
  ClusterRead,
  RolloutReadModel,
  RolloutsRead,
} from './RolloutsReader';
export { fetchClusterObjects } from './fetchClusterObjects';
