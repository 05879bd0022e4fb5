import type { AuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { GitIdentity } from './GitWorkspace';

/**
 * The author of a user's commit: their catalog profile's display name and email, else their name and an address
 * that says it is none (`guest@users.backstage.invalid`), so a commit never claims an email the user does not have.
 */
export function commitAuthorFromCatalog(
  catalog: CatalogService,
  auth: AuthService,
): (userRef: string) => Promise<GitIdentity> {
  return async userRef => {
    const { name } = parseEntityRef(userRef, { defaultKind: 'user' });
    const user = await catalog
      .getEntityByRef(userRef, {
        credentials: await auth.getOwnServiceCredentials(),
      })
      .catch(() => undefined);
    const profile = (
      user?.spec as
        | { profile?: { displayName?: unknown; email?: unknown } }
        | undefined
    )?.profile;
    return {
      name:
        typeof profile?.displayName === 'string' ? profile.displayName : name,
      email:
        typeof profile?.email === 'string'
          ? profile.email
          : `${name}@users.backstage.invalid`,
    };
  };
}
