import type { JsonPatchOperation, RolloutObjectPatch } from '../api';
import { destinationRulesInScope } from '../routing/destinationRuleScope';
import { canonicalHost } from '../routing/hosts';
import type { KubeObject } from '../routing/kube';
import { resourceVersionGuard } from './operations';
import type {
  ActionKubeObject,
  HostContext,
  PlanContext,
  PlanInput,
} from './types';

/** The namespaces of the objects at hand: a host `name.<one of these>` is read as a service. */
function knownNamespaces(input: PlanInput): string[] {
  return [
    input.virtualService,
    ...input.destinationRules,
    ...input.deployments,
  ].flatMap(o => (o.metadata?.namespace ? [o.metadata.namespace] : []));
}

/**
 * What the planners work on, for the actions and for the offers of the read model alike: hosts compared with the
 * namespaces at hand, and only the DestinationRules the VirtualService may use.
 */
export function planContext(
  input: PlanInput,
  resourceVersion: string,
): PlanContext {
  const vs = input.virtualService;
  const name = vs.metadata?.name;
  const namespace = vs.metadata?.namespace;
  if (!name || !namespace) {
    throw new Error(
      'planning needs a VirtualService with metadata.name and metadata.namespace',
    );
  }
  const hostOptions = { namespaces: knownNamespaces(input) };
  const destinationRules = destinationRulesInScope(
    vs as KubeObject,
    input.destinationRules as KubeObject[],
    hostOptions,
  ) as ActionKubeObject[];
  return {
    virtualService: vs,
    namespace,
    hostOptions,
    name,
    resourceVersion,
    destinationRules,
    deployments: input.deployments,
  };
}

/** The VirtualService's patch: the resourceVersion guard, then the operations; no patch when nothing changes. */
export function virtualServicePatch(
  ctx: PlanContext,
  operations: JsonPatchOperation[],
): RolloutObjectPatch[] {
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
