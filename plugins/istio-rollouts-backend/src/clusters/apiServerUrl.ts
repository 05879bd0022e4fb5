/** An API server URL as a catalog Resource or a credentials entry is compared in, or why it cannot be used. */
export type ApiServerUrl = { url: string } | { problem: string };

/**
 * The canonical form of an API server URL: scheme, lower-case host, the port unless it is the scheme's default,
 * and the path without trailing slashes. Two URLs name the same server exactly when their canonical forms are
 * equal, so `https://API.example.com:443/` and `https://api.example.com` match, while another port, scheme or
 * path does not. URLs with credentials (`user:password@`), a query or a fragment are refused: nothing of them is
 * sent anywhere, and the problem never repeats what they carry.
 */
export function canonicalApiServerUrl(raw: string): ApiServerUrl {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return { problem: 'is not a valid URL' };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return { problem: `must use http or https, not ${parsed.protocol}` };
  }
  if (parsed.username || parsed.password) {
    return { problem: 'must not carry credentials (user:password@)' };
  }
  if (parsed.search || parsed.hash) {
    return { problem: 'must have no query string or fragment' };
  }
  return {
    url: `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(
      /\/+$/,
      '',
    )}`,
  };
}
