export interface Config {
  /**
   * Settings of the demo's permission policy (this package, installed by the
   * demo and bench backends), not of the plugin.
   */
  istioRolloutsDemo?: {
    /**
     * How the demo permission policy decides the Istio Rollouts permissions:
     * `owner` (default) lets everyone read and only an entity's owners act,
     * `allow` lets every user read and act, `deny` lets nobody read or act,
     * `update-only` lets an entity's owners read and update but never
     * promote, `no-read` lets an entity's owners update and promote but
     * nobody read. Read at every decision, so a change in a watched config
     * file applies without a restart.
     */
    policy?: 'owner' | 'allow' | 'deny' | 'update-only' | 'no-read';
  };
}
