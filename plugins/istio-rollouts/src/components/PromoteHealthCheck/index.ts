export { PromoteHealthCheck, failingDetail } from './PromoteHealthCheck';
