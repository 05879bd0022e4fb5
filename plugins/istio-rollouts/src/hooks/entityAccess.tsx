import { Entity } from '@backstage/catalog-model';
import { identityApiRef, useApiHolder } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { createContext, ReactNode, useContext, useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { EntityAccess, entityAccess, ownerRefsOf } from '../lib/access';

// Only what the owners' names need: a team's whole entity can be large.
const OWNER_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'spec.profile.displayName',
];

/**
 * Who owns an entity and whether the signed-in user is among them, for the
 * words of locked controls. Never blocks rendering: until the catalog answers
 * (or when it can't), owners are named by their refs' names. The APIs are
 * optional so that an app or test without them still renders the tab.
 */
export function useEntityAccess(entity: Entity): EntityAccess {
  const apis = useApiHolder();
  const catalogApi = apis.get(catalogApiRef);
  const identityApi = apis.get(identityApiRef);
  const refs = ownerRefsOf(entity);
  const key = refs.join('\n');

  const owners = useAsync(async () => {
    if (!catalogApi || refs.length === 0) return [];
    const { items } = await catalogApi.getEntitiesByRefs({
      entityRefs: refs,
      fields: OWNER_FIELDS,
    });
    return items.map(item => item ?? undefined);
    // refs are read through their joined form
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalogApi, key]);

  const user = useAsync(async () => {
    if (!identityApi) return undefined;
    return (await identityApi.getBackstageIdentity()).ownershipEntityRefs;
  }, [identityApi]);

  return useMemo(
    () => entityAccess(entity, owners.value, user.value),
    [entity, owners.value, user.value],
  );
}

const EntityAccessContext = createContext<EntityAccess | undefined>(undefined);

/** Gives the controls below it the entity's owners, for the words of their locks. */
export function EntityAccessProvider(props: {
  entity: Entity;
  children: ReactNode;
}) {
  const access = useEntityAccess(props.entity);
  return (
    <EntityAccessContext.Provider value={access}>
      {props.children}
    </EntityAccessContext.Provider>
  );
}

/** The entity's owners as the provider above read them; undefined outside one (the words then say "its owners"). */
export function useEntityAccessContext(): EntityAccess | undefined {
  return useContext(EntityAccessContext);
}
