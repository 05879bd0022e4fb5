export { WeightEditor } from './WeightEditor';
export type { WeightEditorProps } from './WeightEditor';
