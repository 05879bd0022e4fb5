export { PendingGitNotice } from './PendingGitNotice';
export type { PendingGitNoticeProps } from './PendingGitNotice';
