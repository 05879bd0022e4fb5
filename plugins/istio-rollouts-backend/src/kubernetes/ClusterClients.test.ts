import { ClusterDetails } from '../clusters';
import { ClusterClient } from './ClusterClient';
import { ClusterClients } from './ClusterClients';

const east: ClusterDetails = {
  name: 'east',
  url: 'https://east',
  skipTLSVerify: false,
  allowInsecureHttp: true,
  impersonate: false,
};

describe('ClusterClients', () => {
  it('makes one client per cluster and reuses it', async () => {
    const client = {} as ClusterClient;
    const factory = jest.fn(async () => client);
    const clients = new ClusterClients(factory);
    expect(await clients.get(east)).toBe(client);
    expect(await clients.get(east)).toBe(client);
    expect(factory).toHaveBeenCalledTimes(1);
  });

  it('tries again after a failed creation', async () => {
    const client = {} as ClusterClient;
    const factory = jest
      .fn<Promise<ClusterClient>, [ClusterDetails]>()
      .mockRejectedValueOnce(new Error('no token'))
      .mockResolvedValueOnce(client);
    const clients = new ClusterClients(factory);
    await expect(clients.get(east)).rejects.toThrow('no token');
    expect(await clients.get(east)).toBe(client);
  });
});
