export { RouteSection, matchText } from './RouteSection';
export type { RouteSectionProps } from './RouteSection';
