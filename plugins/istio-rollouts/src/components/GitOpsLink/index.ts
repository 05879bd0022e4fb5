export { GitOpsLink } from './GitOpsLink';
