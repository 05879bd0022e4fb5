/*
 * One HTTP request answered by git's own CGI program, `git http-backend`:
 * smart HTTP for every repository under `projectRoot`, pushes included (as
 * `remoteUser`). Shared by the demo's repository server
 * (scripts/demo-gitops.js) and the backend's tests of real repositories on
 * loopback (plugins/istio-rollouts-backend/src/gitops/__testUtils__).
 */
const { spawn } = require('node:child_process');

/**
 * @param {{ projectRoot: string, env: NodeJS.ProcessEnv, remoteUser: string }} options
 * @returns {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void}
 */
function gitHttpBackend({ projectRoot, env, remoteUser }) {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const cgi = spawn('git', ['http-backend'], {
      env: {
        ...env,
        GIT_PROJECT_ROOT: projectRoot,
        GIT_HTTP_EXPORT_ALL: '1',
        // http-backend refuses pushes from anonymous users.
        REMOTE_USER: remoteUser,
        REMOTE_ADDR: '127.0.0.1',
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.replace(/^\?/, ''),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        ...(req.headers['content-encoding'] && {
          HTTP_CONTENT_ENCODING: String(req.headers['content-encoding']),
        }),
        ...(req.headers['git-protocol'] && {
          GIT_PROTOCOL: String(req.headers['git-protocol']),
        }),
      },
    });
    req.pipe(cgi.stdin);
    cgi.stdin.on('error', () => undefined);
    let head = Buffer.alloc(0);
    let headersDone = false;
    cgi.stdout.on('data', chunk => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      headersDone = true;
      let status = 200;
      const headers = {};
      for (const line of head.subarray(0, end).toString().split('\r\n')) {
        const colon = line.indexOf(':');
        const key = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (key.toLowerCase() === 'status') status = parseInt(value, 10);
        else headers[key] = value;
      }
      res.writeHead(status, headers);
      res.write(head.subarray(end + 4));
    });
    cgi.on('error', () => undefined);
    cgi.on('close', () => {
      if (!headersDone) res.writeHead(500);
      res.end();
    });
  };
}

module.exports = { gitHttpBackend };
