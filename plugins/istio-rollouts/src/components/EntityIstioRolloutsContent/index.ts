export { EntityIstioRolloutsContent } from './EntityIstioRolloutsContent';
export type { EntityIstioRolloutsContentProps } from './EntityIstioRolloutsContent';
