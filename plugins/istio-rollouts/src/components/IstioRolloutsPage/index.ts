export { IstioRolloutsPage } from './IstioRolloutsPage';
export type { IstioRolloutsPageProps } from './IstioRolloutsPage';
