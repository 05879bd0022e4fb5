import type {
  AuthService,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import type { UserCredentials } from '../actions';

/**
 * The user a plan acts as, kept between ticks. Backstage gives a plugin no way to ask the permission policy about a
 * user without their credentials, so the plan keeps a token issued on the user's behalf to this plugin (as the
 * scaffolder keeps a task's): it lives as long as the user's sign-in, is never served, and is dropped when the
 * plan ends. Once it has expired, the plan pauses before its next weight for a person to resume it; only a roll back
 * to the stable subset goes on without it.
 */
export class PlanActors {
  constructor(
    private readonly auth: AuthService,
    private readonly pluginId: string,
  ) {}

  /** A token that stands for the user on later ticks; undefined when none can be issued. */
  async tokenFor(credentials: UserCredentials): Promise<string | undefined> {
    try {
      const { token } = await this.auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId: this.pluginId,
      });
      return token || undefined;
    } catch {
      return undefined;
    }
  }

  /** The user's credentials from a kept token; undefined when it has expired or is not theirs. */
  async credentialsOf(
    token: string | undefined,
    userEntityRef: string,
  ): Promise<UserCredentials | undefined> {
    if (!token) return undefined;
    try {
      const credentials = await this.auth.authenticate(token, {
        allowLimitedAccess: true,
      });
      if (!this.auth.isPrincipal(credentials, 'user')) return undefined;
      const principal = credentials.principal as BackstageUserPrincipal;
      return principal.userEntityRef === userEntityRef
        ? credentials
        : undefined;
    } catch {
      return undefined;
    }
  }
}
