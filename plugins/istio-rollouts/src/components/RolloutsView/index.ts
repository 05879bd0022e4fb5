export { RolloutsView } from './RolloutsView';
export type { RolloutsViewProps } from './RolloutsView';
