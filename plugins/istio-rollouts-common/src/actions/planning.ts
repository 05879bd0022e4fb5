import type { Operation } from 'fast-json-patch';
import { canonicalHost, HostOptions } from '../routing/hosts';
import { resourceVersionGuard } from './operations';
import type { LocatedRoute } from './routes';
import type { ActionKubeObject, ObjectPatch } from './types';

/**
 * How hosts written in the VirtualService are compared: the read model's rules (`canonicalHost`), so that the
 * planner and the tab agree on which spellings name one host.
 */
export interface HostContext {
  /** The VirtualService's namespace: short hosts resolve against it. */
  namespace: string;
  /** Namespaces known to exist (those of the objects at hand), so `reviews.bookinfo` reads as a service. */
  hostOptions: HostOptions;
}

/** What every action planner works on. */
export interface PlanContext extends HostContext {
  virtualService: ActionKubeObject;
  name: string;
  /** The resourceVersion of the VirtualService the user loaded. */
  resourceVersion: string;
  destinationRules: ActionKubeObject[];
  deployments: ActionKubeObject[];
}

/** What an action planner answers; `planAction` adds the routes before and after. */
export interface Planned {
  patches: ObjectPatch[];
  /** The route the action addresses. */
  primary: LocatedRoute;
  /** Every route the patches touch, in index order (the primary one included). */
  routes: LocatedRoute[];
  summary: string;
}

/** The VirtualService's patch: the resourceVersion guard, then the operations; no patch when nothing changes. */
export function virtualServicePatch(
  ctx: PlanContext,
  operations: Operation[],
): ObjectPatch[] {
  if (operations.length === 0) return [];
  return [
    {
      kind: 'VirtualService',
      namespace: ctx.namespace,
      name: ctx.name,
      operations: [resourceVersionGuard(ctx.resourceVersion), ...operations],
    },
  ];
}

/** The canonical form of a host written in the VirtualService. */
export function hostOf(ctx: HostContext, host: string): string {
  return canonicalHost(host, ctx.namespace, ctx.hostOptions);
}

/** How a summary names a route: its name, else `http[0]`. */
export function routeTitle(route: LocatedRoute): string {
  return route.name ?? `${route.kind}[${route.index}]`;
}
