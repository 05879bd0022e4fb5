import {
  applyObjectPatch,
  KubeObject,
  RolloutObjectPatch,
} from '@internal/plugin-istio-rollouts-common';
import { isDeepStrictEqual } from 'node:util';
import { ClusterReadError, kubeStatusCode } from '../kubernetes';

/**
 * What became of a patch whose answer never came back as a success:
 * `made` (the object is as the patch leaves it), `not-made` (the object is as
 * it was planned on) or `unknown` (it could not be read, or it is neither).
 */
export type PatchLanding = 'made' | 'not-made' | 'unknown';

/**
 * Whether a failed patch may have been made all the same: the API server did
 * not refuse it (a 4xx is a refusal: nothing was written) but timed out, cut
 * the connection or answered 5xx, any of which can happen after the write was
 * committed.
 */
export function mayHaveLanded(e: unknown): boolean {
  if (e instanceof ClusterReadError) return e.reason === 'Timeout';
  const status = kubeStatusCode(e);
  return status === undefined || status >= 500;
}

/**
 * Tells whether `patch` was made, from the object as the cluster has it now
 * (`now`, undefined when it is gone) and the object the patch was planned on
 * (`original`): made when `now` has the spec the patch gives `original` and a
 * newer resourceVersion, not made when it still has the original spec.
 */
export function patchLanding(
  original: KubeObject,
  now: KubeObject | undefined,
  patch: Pick<RolloutObjectPatch, 'operations'>,
): PatchLanding {
  if (!now) return 'unknown';
  let expected: KubeObject;
  try {
    expected = applyObjectPatch(original, patch);
  } catch {
    return 'unknown';
  }
  if (
    isDeepStrictEqual(now.spec, expected.spec) &&
    now.metadata?.resourceVersion !== original.metadata?.resourceVersion
  ) {
    return 'made';
  }
  if (isDeepStrictEqual(now.spec, original.spec)) return 'not-made';
  return 'unknown';
}
