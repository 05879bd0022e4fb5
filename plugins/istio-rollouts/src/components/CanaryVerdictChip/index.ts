export { CanaryVerdictChip } from './CanaryVerdictChip';
