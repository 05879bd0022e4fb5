export { istioRolloutsApiRef } from './IstioRolloutsApi';
export type { IstioRolloutsApi } from './IstioRolloutsApi';
export { IstioRolloutsClient } from './IstioRolloutsClient';
