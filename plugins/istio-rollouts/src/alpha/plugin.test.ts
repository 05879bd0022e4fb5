import plugin from './index';

describe('the new frontend system plugin', () => {
  it('is the istio-rollouts plugin with its API, tab and card', () => {
    expect(plugin.$$type).toBe('@backstage/FrontendPlugin');
    expect(plugin.pluginId).toBe('istio-rollouts');
    for (const id of [
      'api:istio-rollouts',
      'entity-content:istio-rollouts',
      'entity-card:istio-rollouts',
    ] as const) {
      expect(plugin.getExtension(id).$$type).toBe(
        '@backstage/ExtensionDefinition',
      );
    }
  });
});
