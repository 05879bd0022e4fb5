export { RouteHealthChart, drawnSubsets } from './RouteHealthChart';
export type { RouteHealthChartProps } from './RouteHealthChart';
