/**
 * A user's entity ref as people read it in a message: `guest` for `user:default/guest`, `team-a/sam` for
 * `user:team-a/sam`; anything that is not a user ref as it is (a name already, or a service).
 * @public
 */
export function personName(ref: string): string {
  const user = /^user:(?:default\/)?([^/]+(?:\/[^/]+)?)$/i.exec(ref);
  return user ? user[1] : ref;
}
