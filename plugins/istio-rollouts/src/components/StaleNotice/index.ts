export { StaleNotice, STALE_NOTICE_TICK_MS } from './StaleNotice';
export type { StaleNoticeProps } from './StaleNotice';
