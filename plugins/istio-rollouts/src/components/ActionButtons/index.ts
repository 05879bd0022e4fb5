export { ActionButtons, GatedButton, SwitchButton } from './ActionButtons';
export type { ActionButtonsProps, ActionIntent } from './ActionButtons';
