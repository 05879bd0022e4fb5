export { SubsetTable, subsetRows } from './SubsetTable';
