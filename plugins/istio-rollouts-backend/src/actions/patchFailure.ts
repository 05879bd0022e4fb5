import {
  ForwardedError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { RolloutObjectPatch } from '@internal/plugin-istio-rollouts-common';
import {
  ClusterReadError,
  describeClusterError,
  Impersonation,
  kubeStatusCode,
  kubeStatusMessage,
  withoutUrls,
} from '../kubernetes';
import { conflictError } from '../errors';

/** The object a patch was sent to, and the resourceVersion it was planned on. */
export interface PatchedObject {
  cluster: { name: string };
  patch: Pick<RolloutObjectPatch, 'kind' | 'namespace' | 'name'>;
  resourceVersion: string;
  /** Who the patch was sent as, when the cluster impersonates the user. */
  impersonate?: Impersonation;
}

/** `VirtualService bookinfo/reviews in cluster "demo-east"` */
export function describeObject({ cluster, patch }: PatchedObject): string {
  return `${patch.kind} ${patch.namespace}/${patch.name} in cluster "${cluster.name}"`;
}

/**
 * Whether a 422 is the API server failing to apply the JSON Patch (a `test`
 * that no longer holds) rather than refusing the patched object as invalid.
 * The first is a generic response whose causes name no field; validation
 * errors name the fields at fault.
 */
function isFailedTest(e: unknown): boolean {
  let body = (e as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return true;
    }
  }
  const causes = (body as { details?: { causes?: unknown } } | undefined)
    ?.details?.causes;
  return (
    !Array.isArray(causes) ||
    causes.every(c => !(c as { field?: unknown } | undefined)?.field)
  );
}

/**
 * Words the failure of one patch for the caller, as an `@backstage/errors`
 * class:
 * - the object changed since it was loaded (409 Conflict, a 422 from a failed
 *   `test`) or is gone (404): `ConflictError`, reload and try again;
 * - the cluster did not answer in time, cannot be reached or failed (5xx):
 *   `ServiceUnavailableError` naming the cluster;
 * - anything else the cluster refused (401/403 for the plugin's service
 *   account, 400/422 from validation or an admission webhook):
 *   `ForwardedError` with the cluster's reason.
 * `note` says what became of earlier patches of the same action.
 */
export function describePatchFailure(
  target: PatchedObject,
  e: unknown,
  note?: string,
  landing?: 'not-made' | 'unknown',
): Error {
  const object = describeObject(target);
  const tail = note ? ` ${note}` : '';
  // What reading the object back said (only asked after an ambiguous failure).
  const unchanged = `${target.patch.kind} ${target.patch.namespace}/${
    target.patch.name
  } was read back unchanged${note ? '.' : ': nothing was changed.'}`;
  const status = kubeStatusCode(e);
  if (status === 409 || (status === 422 && isFailedTest(e))) {
    return conflictError(
      'Changed',
      `${object} was changed since you loaded it (resourceVersion ${target.resourceVersion}); reload and try again.${tail}`,
    );
  }
  if (status === 403 && target.impersonate) {
    // The cluster's RBAC, not Backstage's policy, said no: say who asked.
    const { user, groups } = target.impersonate;
    const detail = kubeStatusMessage(e);
    return new NotAllowedError(
      `Cluster "${target.cluster.name}" does not let ${user}${
        groups.length ? ` (groups ${groups.join(', ')})` : ''
      } change ${target.patch.kind} ${target.patch.namespace}/${
        target.patch.name
      }: its RBAC refused the change (403 Forbidden)${
        detail ? `: ${withoutUrls(detail)}` : ''
      }. Nothing was changed${note ? '' : '.'}${tail}`,
    );
  }
  if (status === 404) {
    return conflictError(
      'Deleted',
      `${object} was deleted since you loaded it (resourceVersion ${target.resourceVersion}); reload and try again.${tail}`,
    );
  }
  if (e instanceof ClusterReadError && e.reason === 'Timeout') {
    if (landing === 'not-made') {
      return new ServiceUnavailableError(`${e.message}; ${unchanged}${tail}`);
    }
    return new ServiceUnavailableError(
      `${e.message}; the change of ${target.patch.kind} ${target.patch.namespace}/${target.patch.name} may or may not have been applied: reload to see.${tail}`,
    );
  }
  const error = describeClusterError(target.cluster, e);
  if (
    error.reason === 'Unreachable' ||
    error.reason === 'ServerError' ||
    error.reason === 'Timeout'
  ) {
    let read = '';
    if (landing === 'not-made') read = ` ${unchanged}`;
    if (landing === 'unknown') {
      read = ` Whether it was changed all the same could not be checked: reload to see.`;
    }
    return new ServiceUnavailableError(
      `Could not change ${object}: ${error.message.replace(
        /\.$/,
        '',
      )}.${read}${tail}`,
    );
  }
  return new ForwardedError(
    `Could not change ${object}`,
    new Error(`${error.message}${tail}`),
  );
}
