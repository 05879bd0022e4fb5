export { ActionButtons, GatedButton, SwitchButton } from './ActionButtons';
export type { ActionButtonsProps } from './ActionButtons';
