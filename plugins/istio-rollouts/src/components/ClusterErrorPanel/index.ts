export { ClusterErrorPanel } from './ClusterErrorPanel';
export type { ClusterErrorPanelProps } from './ClusterErrorPanel';
