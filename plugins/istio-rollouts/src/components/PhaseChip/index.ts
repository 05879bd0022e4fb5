export { PhaseChip, MeshRevisionChip } from './PhaseChip';
