export { EntityIstioRolloutsContent } from './EntityIstioRolloutsContent';
