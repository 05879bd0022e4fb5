import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/**
 * Authorizes one or more permissions on one entity, in one batch, and throws
 * `NotAllowedError` (403) naming the first one denied unless all are
 * allowed. The entity ref lets conditional policies such as `isEntityOwner`
 * resolve in the catalog.
 */
export async function requirePermission(options: {
  permissions: PermissionsService;
  credentials: BackstageCredentials;
  permission: ResourcePermission | ResourcePermission[];
  resourceRef: string;
}): Promise<void> {
  const { permissions, credentials, resourceRef } = options;
  const wanted = [options.permission].flat();
  const decisions = await permissions.authorize(
    wanted.map(permission => ({ permission, resourceRef })),
    { credentials },
  );
  const denied = wanted.find(
    (_, i) => decisions[i]?.result !== AuthorizeResult.ALLOW,
  );
  if (denied) {
    throw new NotAllowedError(
      `You are not allowed ${denied.name} on ${resourceRef}`,
    );
  }
}
