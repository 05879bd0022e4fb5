export { DriftNotice } from './DriftNotice';
export type { DriftNoticeProps } from './DriftNotice';
