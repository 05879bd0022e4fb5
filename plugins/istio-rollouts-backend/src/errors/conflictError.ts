import { ConflictError } from '@backstage/errors';
import type { RolloutActionConflictReason } from '@internal/plugin-istio-rollouts-common';

/**
 * A 409 that says why in `error.reason` as well as in words, so a client can
 * tell "reload and try again" from "act through the controller" without
 * parsing the message (Backstage's error answer carries an error's own
 * properties).
 */
export function conflictError(
  reason: RolloutActionConflictReason,
  message: string,
): ConflictError {
  return Object.assign(new ConflictError(message), { reason });
}
