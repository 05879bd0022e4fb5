export { GitOpsChanges } from './GitOpsChanges';
export type {
  GitOpsRoute,
  GitOpsPreview,
  GitOpsProposal,
} from './GitOpsChanges';
export { readGitOpsConfig } from './gitopsConfig';
export type { GitOpsConfig } from './gitopsConfig';
export { changeAsText } from './placement';
export { commitAuthorFromCatalog } from './commitAuthor';
export { GitOpsModes } from './gitOpsModes';
