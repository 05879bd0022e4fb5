export { EntityIstioRolloutsCard } from './EntityIstioRolloutsCard';
export type { EntityIstioRolloutsCardProps } from './EntityIstioRolloutsCard';
