//

export * from '../models/ClusterError.model';
export * from '../models/ClusterStatus.model';
export * from '../models/ErrorError.model';
export * from '../models/ErrorRequest.model';
export * from '../models/ErrorResponse.model';
export * from '../models/Finding.model';
export * from '../models/FindingRoute.model';
export * from '../models/HealthResponse.model';
export * from '../models/ModelError.model';
export * from '../models/NotConfigured.model';
export * from '../models/Rollout.model';
export * from '../models/RolloutAction.model';
export * from '../models/RolloutOwner.model';
export * from '../models/RolloutsResponse.model';
export * from '../models/Route.model';
export * from '../models/RouteDelegate.model';
export * from '../models/RouteDestination.model';
export * from '../models/RouteKind.model';
export * from '../models/RouteMirror.model';
export * from '../models/Subset.model';
export * from '../models/SubsetWorkload.model';
