export { loadEntity } from './loadEntity';
