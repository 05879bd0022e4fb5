export { FleetApplyActions, FleetApplyContent, FleetOffer } from './FleetApply';
export type {
  FleetApplyActionsProps,
  FleetApplyContentProps,
} from './FleetApply';
export { FleetClusterItem, clusterStatus } from './FleetClusterItem';
export { FleetProvider, useFleet } from './FleetContext';
export type { Fleet } from './FleetContext';
export { useFleetApply } from './useFleetApply';
export type { FleetApplyState, FleetDryRun, FleetStep } from './useFleetApply';
