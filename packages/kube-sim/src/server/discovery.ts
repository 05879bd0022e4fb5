/*
 * The documents of discovery routes and /version.
 */
import * as http from 'node:http';
import {
  apiGroupDoc,
  apiGroupList,
  apiResourceList,
  apiVersions,
} from '../resources';
import { Route } from '../routes';

export const VERSION_INFO = {
  major: '1',
  minor: '31',
  gitVersion: 'v1.31.0+kube-sim',
  gitCommit: 'kube-sim',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.22.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

/** The discovery document of a route; undefined for a group or version not served. */
export function discoveryDoc(
  route: Extract<Route, { kind: 'discovery' }>,
  req: http.IncomingMessage,
) {
  switch (route.doc) {
    case 'api':
      return apiVersions(req.headers.host ?? '127.0.0.1');
    case 'apis':
      return apiGroupList();
    case 'group':
      return apiGroupDoc(route.group);
    default:
      return apiResourceList(route.group, route.version!);
  }
}
