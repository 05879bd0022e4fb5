import type { RouteKind } from './api';

/**
 * How a route is named everywhere — in the tab, in summaries and history, in
 * error messages: `http[0] reviews-route`, or `http[0]` when it has no name.
 * @public
 */
export function routeLabel(route: {
  kind: RouteKind;
  index: number;
  name?: string;
}): string {
  return `${route.kind}[${route.index}]${route.name ? ` ${route.name}` : ''}`;
}
