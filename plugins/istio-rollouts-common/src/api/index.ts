/**
 * The wire schema of the plugin's HTTP API, as `openapi.yaml` in the backend describes it (a test holds them
 * equal): the read model, the changes an action makes, the history, and the action requests and answers.
 */
export * from './rollouts';
export * from './changes';
export * from './history';
export * from './gitops';
export * from './actions';
export * from './metrics';
export * from './plans';
export * from './portal';
