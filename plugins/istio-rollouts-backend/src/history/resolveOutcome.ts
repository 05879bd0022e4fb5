import {
  KubeObject,
  redactRouteStanza,
  RouteKind,
} from '@internal/plugin-istio-rollouts-common';
import { isDeepStrictEqual } from 'node:util';

/**
 * How long a recorded change stays too young to be called "not applied": its
 * PATCH may still be in flight on another replica. Well beyond a write's
 * timeout and its read-back.
 */
export const RESOLVE_GRACE_MS = 2 * 60_000;

/** What resolving a recorded change needs; an `UnresolvedChange` is one. */
export interface PlannedChange {
  route: { kind: RouteKind; index: number };
  /** The route's stanza as planned after the change (redacted or raw). */
  after: unknown;
  /** Every route a switch touches; when present, all of them must match. */
  routes?: Array<{ kind: RouteKind; index: number; after: unknown }>;
  /** The VirtualService's resourceVersion the plan was made on. */
  resourceVersion?: string;
  /** When the change was recorded, just before its write (ISO 8601). */
  createdAt: string;
  /**
   * A later change of the VirtualService, planned on the same resourceVersion,
   * was applied. Every write is guarded by the version it was planned on, so
   * that one found the object unchanged and this one can no longer land.
   */
  laterAppliedOnSameVersion?: boolean;
}

/**
 * Whether the cluster shows a recorded change whose write's outcome is not
 * known (the backend stopped, or the write's answer was lost):
 * - `applied`: the VirtualService moved on from the version the plan was made
 *   on, and every planned route reads, redacted, as planned;
 * - `not-applied`: the VirtualService is still at that version, so nothing was
 *   written to it, and the change is older than the grace period, so no write
 *   can still be on its way; or a later change planned on that same version
 *   was applied, which it could not have been had ours landed first (and
 *   ours, guarded by that version, cannot land after it);
 * - `undetermined` otherwise: the change is young, the object is gone, or it
 *   moved on to something else (another change may have followed ours).
 */
export function resolveOutcome(options: {
  change: PlannedChange;
  /** The VirtualService as the cluster has it now; undefined when deleted. */
  virtualService: KubeObject | undefined;
  now: Date;
  graceMs?: number;
}): 'applied' | 'not-applied' | 'undetermined' {
  const { change, virtualService, now } = options;
  const graceMs = options.graceMs ?? RESOLVE_GRACE_MS;
  if (change.laterAppliedOnSameVersion) return 'not-applied';
  const planned = change.resourceVersion;
  const current = virtualService?.metadata?.resourceVersion;
  if (!virtualService || !planned || !current) return 'undetermined';

  if (current === planned) {
    const age = now.getTime() - Date.parse(change.createdAt);
    // An unparsable time is never old enough to conclude anything.
    return age > graceMs ? 'not-applied' : 'undetermined';
  }
  const routes = change.routes?.length
    ? change.routes
    : [{ ...change.route, after: change.after }];
  const spec = (virtualService.spec ?? {}) as Record<string, unknown>;
  const landed = routes.every(({ kind, index, after }) => {
    const list = spec[kind];
    const stanza = Array.isArray(list) ? list[index] : undefined;
    return (
      stanza !== undefined &&
      isDeepStrictEqual(redactRouteStanza(stanza), redactRouteStanza(after))
    );
  });
  return landed ? 'applied' : 'undetermined';
}
