import type {
  RolloutReadModel,
  Route,
} from '@internal/plugin-istio-rollouts-common';

/** `<rolloutId>|<kind>|<index>`: where what a read found about one route is looked up. */
export function routeKey(
  rolloutId: string,
  route: { kind: string; index: number },
): string {
  return `${rolloutId}|${route.kind}|${route.index}`;
}

/**
 * The rollouts with fields a read found per route (by {@link routeKey}) set
 * on those routes; a changed rollout is a copy (read models are shared).
 */
export function withRouteFields<T extends RolloutReadModel>(
  rollouts: T[],
  fields: Map<string, Partial<Route>>,
): T[] {
  if (fields.size === 0) return rollouts;
  return rollouts.map(rollout =>
    rollout.routes.some(r => fields.has(routeKey(rollout.id, r)))
      ? {
          ...rollout,
          routes: rollout.routes.map(r => {
            const found = fields.get(routeKey(rollout.id, r));
            return found ? { ...r, ...found } : r;
          }),
        }
      : rollout,
  );
}

/** What a read found per route (drift, a change pending in Git), as the fields of those routes. */
export function routeFields(found: {
  [F in 'drift' | 'pendingInGit']?: Map<string, NonNullable<Route[F]>>;
}): Map<string, Partial<Route>> {
  const fields = new Map<string, Partial<Route>>();
  for (const [field, byRoute] of Object.entries(found)) {
    for (const [key, value] of byRoute ?? []) {
      fields.set(key, { ...fields.get(key), [field]: value });
    }
  }
  return fields;
}
