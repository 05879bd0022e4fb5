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
 * Authorizes one permission on one entity and throws `NotAllowedError` (403)
 * unless it is allowed. The entity ref lets conditional policies such as
 * `isEntityOwner` resolve in the catalog.
 */
export async function requirePermission(options: {
  permissions: PermissionsService;
  credentials: BackstageCredentials;
  permission: ResourcePermission;
  resourceRef: string;
}): Promise<void> {
  const { permissions, credentials, permission, resourceRef } = options;
  const [decision] = await permissions.authorize(
    [{ permission, resourceRef }],
    { credentials },
  );
  if (decision?.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `You are not allowed ${permission.name} on ${resourceRef}`,
    );
  }
}
