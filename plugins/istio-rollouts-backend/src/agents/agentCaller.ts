import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import type { UserCredentials } from '../actions';

/** An entity ref as an agent gives it: `component:default/reviews`, or just `reviews` (a Component in default). */
export function entityOf(entityRef: string): CompoundEntityRef {
  try {
    return parseEntityRef(entityRef, {
      defaultKind: 'component',
      defaultNamespace: 'default',
    });
  } catch (e) {
    throw new InputError(
      `entityRef: must be an entity ref such as component:default/reviews, got "${entityRef}"`,
    );
  }
}

/**
 * The user an agent acts for. Changes are made as a user, who the history names and whose permissions are asked;
 * a call that carries only a service's credentials (a static token, another plugin) may read, never write.
 */
export function requireUser(
  auth: AuthService,
  credentials: BackstageCredentials,
  action: string,
): UserCredentials {
  if (auth.isPrincipal(credentials, 'user')) return credentials;
  const who =
    credentials.principal && 'subject' in (credentials.principal as object)
      ? ` (${(credentials.principal as { subject: string }).subject})`
      : '';
  throw new NotAllowedError(
    `${action} changes traffic, which is done for a signed-in user; this call carries no user${who}. ` +
      'Connect the MCP client with a user\u2019s Backstage token.',
  );
}
