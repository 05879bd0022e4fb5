export { MetricsNotice } from './MetricsNotice';
