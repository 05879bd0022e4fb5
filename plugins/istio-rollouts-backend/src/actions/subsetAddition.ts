import type {
  KubeObject,
  RolloutObjectPatch,
  RouteKind,
} from '@internal/plugin-istio-rollouts-common';

type JsonRecord = Record<string, unknown>;

const asRecord = (v: unknown): JsonRecord | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as JsonRecord)
    : undefined;

/**
 * The subset a DestinationRule patch of `startCanary` adds: an `add` of one
 * subset at `/spec/subsets/-`, or of a one-subset list at `/spec/subsets`.
 */
export function addedSubset(patch: RolloutObjectPatch): string | undefined {
  if (patch.kind !== 'DestinationRule') return undefined;
  for (const op of patch.operations) {
    if (op.op !== 'add') continue;
    const value = (op as { value?: unknown }).value;
    if (op.path === '/spec/subsets/-') {
      const name = asRecord(value)?.name;
      if (typeof name === 'string') return name;
    }
    if (op.path === '/spec/subsets' && Array.isArray(value)) {
      const name = asRecord(value[0])?.name;
      if (typeof name === 'string') return name;
    }
  }
  return undefined;
}

/**
 * The guarded JSON Patch that takes an added subset out of the DestinationRule
 * again, addressed by its position in the object as stored after the
 * addition: a `test` of its name there, then its removal (or the removal of
 * the list the addition created). Undefined when the subset is not there.
 */
export function subsetRemoval(
  addition: RolloutObjectPatch,
  stored: KubeObject,
  subset: string,
): RolloutObjectPatch | undefined {
  const subsets = asRecord(stored.spec)?.subsets;
  if (!Array.isArray(subsets)) return undefined;
  const index = subsets.map(s => asRecord(s)?.name).lastIndexOf(subset);
  if (index < 0) return undefined;
  const createdList = addition.operations.some(
    op => op.op === 'add' && op.path === '/spec/subsets',
  );
  const operations: RolloutObjectPatch['operations'] =
    createdList && subsets.length === 1
      ? [
          { op: 'test', path: '/spec/subsets', value: subsets },
          { op: 'remove', path: '/spec/subsets' },
        ]
      : [
          { op: 'test', path: `/spec/subsets/${index}/name`, value: subset },
          { op: 'remove', path: `/spec/subsets/${index}` },
        ];
  return {
    kind: addition.kind,
    namespace: addition.namespace,
    name: addition.name,
    operations,
  };
}

/** Whether a route of the VirtualService sends (any share of) its traffic to the subset. */
export function routeUsesSubset(
  vs: KubeObject,
  route: { kind: RouteKind; index: number },
  subset: string,
): boolean {
  const routes = asRecord(vs.spec)?.[route.kind];
  const stanza = Array.isArray(routes)
    ? asRecord(routes[route.index])
    : undefined;
  const destinations = Array.isArray(stanza?.route) ? stanza!.route : [];
  return destinations.some(
    d => asRecord(asRecord(d)?.destination)?.subset === subset,
  );
}
