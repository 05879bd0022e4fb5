export { RouteYamlDiff } from './RouteYamlDiff';
export type { RouteYamlDiffProps } from './RouteYamlDiff';
