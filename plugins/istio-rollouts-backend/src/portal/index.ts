export {
  PortalRolloutsService,
  PORTAL_SELECTION,
} from './PortalRolloutsService';
