/**
 * Who last changed a route of a VirtualService, as its `metadata.managedFields`
 * tell. Pure.
 */
import type {
  KubeObject,
  RouteKind,
} from '@internal/plugin-istio-rollouts-common';

export interface ChangedBy {
  /** The field manager, e.g. `kubectl-patch`, `argocd-controller`. */
  by?: string;
  /** `Update` or `Apply`. */
  operation?: string;
  /** The entry's time (RFC 3339, seconds). */
  changedAt?: string;
}

interface Entry {
  manager?: unknown;
  operation?: unknown;
  time?: unknown;
  fieldsV1?: unknown;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * Whether an entry owns the route list (`spec.http`, …): it names it, or it
 * names `spec` with no field under it (a coarse entry owns all of it).
 * Istio's route lists are atomic, so a real server records the list itself.
 */
function ownsRoutes(entry: Entry, kind: RouteKind): boolean {
  const spec = record(record(entry.fieldsV1)?.['f:spec']);
  if (!spec) return false;
  const fields = Object.keys(spec).filter(k => k.startsWith('f:'));
  return fields.length === 0 || fields.includes(`f:${kind}`);
}

function newest(entries: Entry[]): Entry | undefined {
  let best: Entry | undefined;
  let bestTime = -Infinity;
  for (const entry of entries) {
    const time =
      typeof entry.time === 'string' ? Date.parse(entry.time) : Number.NaN;
    // Equal times: the later entry, as the API server lists them oldest first.
    const t = Number.isNaN(time) ? -Infinity : time;
    if (!best || t >= bestTime) {
      best = entry;
      bestTime = t;
    }
  }
  return best;
}

/**
 * The manager, operation and time of the entry that owns the route's list,
 * the newest of them if several do; without one, of the newest `Update`
 * entry; nothing when the object has no managedFields.
 */
export function routeChangedBy(
  virtualService: KubeObject,
  kind: RouteKind,
): ChangedBy {
  const raw = (virtualService.metadata as { managedFields?: unknown })
    ?.managedFields;
  const entries = (Array.isArray(raw) ? raw : [])
    .map(e => record(e) as Entry | undefined)
    .filter((e): e is Entry => e !== undefined);
  const owners = entries.filter(e => ownsRoutes(e, kind));
  const entry = newest(
    owners.length > 0 ? owners : entries.filter(e => e.operation === 'Update'),
  );
  if (!entry) return {};
  const text = (v: unknown) =>
    typeof v === 'string' && v !== '' ? v : undefined;
  const by = text(entry.manager);
  const operation = text(entry.operation);
  const changedAt = text(entry.time);
  return {
    ...(by && { by }),
    ...(operation && { operation }),
    ...(changedAt && { changedAt }),
  };
}
