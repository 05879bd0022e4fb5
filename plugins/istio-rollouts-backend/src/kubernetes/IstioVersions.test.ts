import { ClusterReadError } from './errors';
import { chooseIstioVersion, IstioVersionCache } from './IstioVersions';

describe('chooseIstioVersion', () => {
  it.each([
    [['v1alpha3', 'v1beta1', 'v1'], 'v1'],
    [['v1alpha3', 'v1beta1'], 'v1beta1'],
    [['v1alpha3'], 'v1alpha3'],
    [['v2'], undefined],
    [[], undefined],
  ])('prefers v1, then v1beta1, then v1alpha3: %j → %s', (served, chosen) => {
    expect(chooseIstioVersion(served)).toBe(chosen);
  });
});

describe('IstioVersionCache', () => {
  it('discovers once per cluster within the TTL', async () => {
    let now = 0;
    const cache = new IstioVersionCache({ ttlMs: 1000, now: () => now });
    const discover = jest.fn(async () => ['v1beta1', 'v1']);

    expect(await cache.get('east', discover)).toBe('v1');
    now = 999;
    expect(await cache.get('east', discover)).toBe('v1');
    expect(discover).toHaveBeenCalledTimes(1);

    const west = jest.fn(async () => ['v1alpha3']);
    expect(await cache.get('west', west)).toBe('v1alpha3');
    expect(west).toHaveBeenCalledTimes(1);
  });

  it('discovers again once the TTL has passed', async () => {
    let now = 0;
    const cache = new IstioVersionCache({ ttlMs: 1000, now: () => now });
    const discover = jest
      .fn<Promise<string[]>, []>()
      .mockResolvedValueOnce(['v1beta1'])
      .mockResolvedValueOnce(['v1beta1', 'v1']);

    expect(await cache.get('east', discover)).toBe('v1beta1');
    now = 1000;
    expect(await cache.get('east', discover)).toBe('v1');
    expect(discover).toHaveBeenCalledTimes(2);
  });

  it('discovers again after invalidate', async () => {
    const cache = new IstioVersionCache();
    const discover = jest.fn(async () => ['v1']);
    await cache.get('east', discover);
    cache.invalidate('east');
    await cache.get('east', discover);
    expect(discover).toHaveBeenCalledTimes(2);
  });

  it('reports a cluster without the Istio API as IstioNotInstalled and does not cache it', async () => {
    const cache = new IstioVersionCache();
    const discover = jest
      .fn<Promise<string[] | undefined>, []>()
      .mockResolvedValueOnce(undefined)
      .mockResolvedValueOnce(['v1']);

    const error = await cache.get('plain', discover).catch(e => e);
    expect(error).toBeInstanceOf(ClusterReadError);
    expect(error).toMatchObject({
      reason: 'IstioNotInstalled',
      message: expect.stringContaining(
        `Cluster "plain" serves no networking.istio.io API`,
      ),
    });
    expect(await cache.get('plain', discover)).toBe('v1');
  });

  it('reports a cluster serving only unknown Istio versions', async () => {
    const cache = new IstioVersionCache();
    await expect(cache.get('future', async () => ['v2'])).rejects.toMatchObject(
      {
        reason: 'IstioNotInstalled',
        message: expect.stringContaining('only at v2'),
      },
    );
  });

  it('lets discovery errors through untouched', async () => {
    const cache = new IstioVersionCache();
    const boom = new Error('boom');
    await expect(
      cache.get('east', async () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
  });
});
