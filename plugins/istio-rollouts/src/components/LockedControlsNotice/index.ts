export { LockedControlsNotice } from './LockedControlsNotice';
