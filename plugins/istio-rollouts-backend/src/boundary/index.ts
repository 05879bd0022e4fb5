export { RolloutBoundary } from './RolloutBoundary';
export {
  NAMESPACE_CONSENT_ANNOTATION,
  consentingEntities,
  lockFinding,
  namespaceConsentLock,
  sharedClaimLock,
} from './locks';
export type { RolloutLock } from './locks';
