import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { AllowedActionsCache } from './AllowedActionsCache';

const { ALLOW, DENY } = AuthorizeResult;
const guest = mockCredentials.user('user:default/guest');
const sam = mockCredentials.user('user:default/sam');
const REVIEWS = 'component:default/reviews';

describe('AllowedActionsCache', () => {
  function setup() {
    let time = 0;
    const permissions = mockServices.permissions.mock({
      authorize: jest.fn(async () => [{ result: ALLOW }, { result: DENY }]),
    });
    const cache = new AllowedActionsCache(permissions, {
      ttlMs: 1000,
      now: () => time,
    });
    return { cache, permissions, advance: (ms: number) => (time += ms) };
  }

  it('asks once per user and entity within the TTL, and again after it', async () => {
    const { cache, permissions, advance } = setup();
    const updateOnly = ['setWeights', 'rollback', 'startCanary', 'finish'];
    expect(await cache.get(guest, REVIEWS)).toEqual(updateOnly);
    advance(999);
    expect(await cache.get(guest, REVIEWS)).toEqual(updateOnly);
    expect(permissions.authorize).toHaveBeenCalledTimes(1);

    permissions.authorize.mockResolvedValueOnce([
      { result: DENY },
      { result: DENY },
    ]);
    advance(1);
    expect(await cache.get(guest, REVIEWS)).toEqual([]);
    expect(permissions.authorize).toHaveBeenCalledTimes(2);
  });

  it('keeps users and entities apart', async () => {
    const { cache, permissions } = setup();
    await cache.get(guest, REVIEWS);
    await cache.get(sam, REVIEWS);
    await cache.get(guest, 'component:default/foobar');
    expect(permissions.authorize).toHaveBeenCalledTimes(3);
    expect(permissions.authorize.mock.calls[1][1]).toEqual({
      credentials: sam,
    });
  });

  it('shares one check between concurrent reads', async () => {
    const { cache, permissions } = setup();
    await Promise.all([cache.get(guest, REVIEWS), cache.get(guest, REVIEWS)]);
    expect(permissions.authorize).toHaveBeenCalledTimes(1);
  });

  it('does not remember a failed check', async () => {
    const { cache, permissions } = setup();
    permissions.authorize.mockRejectedValueOnce(new Error('unavailable'));
    await expect(cache.get(guest, REVIEWS)).rejects.toThrow('unavailable');
    expect(await cache.get(guest, REVIEWS)).toHaveLength(4);
    expect(permissions.authorize).toHaveBeenCalledTimes(2);
  });

  it('offers a service principal nothing, without asking or remembering', async () => {
    const { cache, permissions } = setup();
    const service = mockCredentials.service('external:script');
    expect(await cache.get(service, REVIEWS)).toEqual([]);
    expect(permissions.authorize).not.toHaveBeenCalled();
  });

  it('asks on every read with a TTL of 0', async () => {
    const permissions = mockServices.permissions.mock({
      authorize: jest.fn(async () => [{ result: ALLOW }, { result: ALLOW }]),
    });
    const cache = new AllowedActionsCache(permissions, { ttlMs: 0 });
    await cache.get(guest, REVIEWS);
    await cache.get(guest, REVIEWS);
    expect(permissions.authorize).toHaveBeenCalledTimes(2);
  });
});
