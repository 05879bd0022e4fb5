export { RouteTrafficBar, SubsetSwatch } from './RouteTrafficBar';
export type { RouteTrafficBarProps } from './RouteTrafficBar';
