import { canonicalApiServerUrl } from './apiServerUrl';

describe('canonicalApiServerUrl', () => {
  it.each([
    ['https://api.example.com', 'https://api.example.com'],
    ['https://API.Example.com:443/', 'https://api.example.com'],
    ['https://api.example.com:6443//', 'https://api.example.com:6443'],
    ['http://127.0.0.1:80', 'http://127.0.0.1'],
    [
      'https://rancher.example.com/k8s/clusters/c-1/',
      'https://rancher.example.com/k8s/clusters/c-1',
    ],
    ['https://[::1]:6443', 'https://[::1]:6443'],
  ])('reads %s as %s', (raw, url) => {
    expect(canonicalApiServerUrl(raw)).toEqual({ url });
  });

  it('keeps what tells servers apart: scheme, port and path', () => {
    const url = (raw: string) =>
      (canonicalApiServerUrl(raw) as { url: string }).url;
    expect(url('http://api.example.com')).not.toBe(
      url('https://api.example.com'),
    );
    expect(url('https://api.example.com:6443')).not.toBe(
      url('https://api.example.com'),
    );
    expect(url('https://proxy.example.com/a')).not.toBe(
      url('https://proxy.example.com/b'),
    );
  });

  it.each([
    ['not a url', 'is not a valid URL'],
    ['', 'is not a valid URL'],
    ['ftp://api.example.com', 'must use http or https, not ftp:'],
    [
      'https://user:hunter2@api.example.com',
      'must not carry credentials (user:password@)',
    ],
    [
      'https://api.example.com?token=x',
      'must have no query string or fragment',
    ],
    ['https://api.example.com#x', 'must have no query string or fragment'],
  ])('refuses %j: %s', (raw, problem) => {
    expect(canonicalApiServerUrl(raw)).toEqual({ problem });
  });

  it('never repeats the credentials of a URL in its problem', () => {
    expect(
      JSON.stringify(canonicalApiServerUrl('https://u:hunter2@h')),
    ).not.toContain('hunter2');
  });
});
