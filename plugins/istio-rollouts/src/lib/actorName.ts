import { personName } from '@internal/plugin-istio-rollouts-common';

/** A user's entity ref as people read it: `guest` for `user:default/guest` (the rule the backend's messages use). */
export const actorName = personName;
