import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { ResourcePermission } from '@backstage/plugin-permission-common';
import { loadEntity } from '../catalog';
import { requirePermission } from './requirePermission';

/**
 * Loads an entity as the caller and authorizes `permission` on its ref, the
 * two at once: each is a call to another plugin, and neither needs the
 * other's answer. The outcome is what doing them in turn would give: an
 * entity the caller cannot see is 404 whatever the policy says, then a
 * denial is 403. Nothing is returned, so nothing is done, unless both pass.
 */
export async function loadAuthorizedEntity(options: {
  catalog: CatalogService;
  permissions: PermissionsService;
  ref: CompoundEntityRef;
  credentials: BackstageCredentials;
  /** One permission, or several that must all be allowed. */
  permission:
    | ResourcePermission<'catalog-entity'>
    | ResourcePermission<'catalog-entity'>[];
}): Promise<Entity> {
  const { catalog, permissions, ref, credentials, permission } = options;
  const [entity, allowed] = await Promise.allSettled([
    loadEntity(catalog, ref, credentials),
    requirePermission({
      permissions,
      credentials,
      permission,
      resourceRef: stringifyEntityRef(ref),
    }),
  ]);
  if (entity.status === 'rejected') throw entity.reason;
  if (allowed.status === 'rejected') throw allowed.reason;
  return entity.value;
}
