export { conflictError } from './conflictError';
