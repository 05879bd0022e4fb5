export { VirtualServiceCard, placeFindings } from './VirtualServiceCard';
export type { VirtualServiceCardProps } from './VirtualServiceCard';
