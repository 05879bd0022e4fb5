/**
 * GitOps placement: where in a Git repository a planned change to a VirtualService or DestinationRule goes,
 * as edited file texts, or why it cannot be placed with certainty and the change as text. Pure.
 */
export { placeChange } from './placeChange';
export { changeAsText } from './changeAsText';
export type {
  DirectoryEntry,
  PlacedChange,
  PlacedFile,
  PlacementEdit,
  PlacementInput,
  PlacementResult,
  PlacementSource,
  RepositoryReader,
  UnplacedChange,
} from './types';
