import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * Loads an entity from the catalog with the caller's credentials, so an
 * entity they cannot see is one that does not exist (`NotFoundError`, 404).
 * Nothing about the entity is ever taken from the request but its ref.
 */
export async function loadEntity(
  catalog: CatalogService,
  ref: CompoundEntityRef,
  credentials: BackstageCredentials,
): Promise<Entity> {
  const entity = await catalog.getEntityByRef(ref, { credentials });
  if (!entity) {
    throw new NotFoundError(`Entity ${stringifyEntityRef(ref)} not found`);
  }
  return entity;
}
