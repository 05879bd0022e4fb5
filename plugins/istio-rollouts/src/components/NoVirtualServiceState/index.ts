export { NoVirtualServiceState } from './NoVirtualServiceState';
