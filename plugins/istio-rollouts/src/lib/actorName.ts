import { parseEntityRef } from '@backstage/catalog-model';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';

/** A user's entity ref as people read it: `guest` for `user:default/guest`; the ref itself when it is no ref. */
export function actorName(actor: string): string {
  try {
    return humanizeEntityRef(parseEntityRef(actor), { defaultKind: 'user' });
  } catch {
    return actor;
  }
}
