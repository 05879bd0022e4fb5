export { loadEntity } from './loadEntity';
export { ClaimIndex } from './ClaimIndex';
export type { ClaimIndexOptions } from './ClaimIndex';
export { buildClaimSnapshot } from './claimSnapshot';
export type { ClaimedObject, ClaimSnapshot } from './claimSnapshot';
