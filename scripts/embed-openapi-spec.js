#!/usr/bin/env node
/*
 * Rewrites the `spec` object embedded in the backend's generated OpenAPI router from src/schema/openapi.yaml:
 * the part of `backstage-repo-tools package schema openapi generate --server` that needs no Java. The models in
 * generated/models are kept by hand in the generator's shape (src/schema/wireTypes.test.ts checks them).
 * Usage: node scripts/embed-openapi-spec.js
 */
const fs = require('fs');
const path = require('path');
const { parse } = require('yaml');
const prettier = require('prettier');

const schema = path.resolve(
  __dirname,
  '../plugins/istio-rollouts-backend/src/schema',
);
const routerFile = path.join(schema, 'openapi/generated/router.ts');

async function main() {
  const document = parse(
    fs.readFileSync(path.join(schema, 'openapi.yaml'), 'utf8'),
  );
  const source = fs.readFileSync(routerFile, 'utf8');
  const start = source.indexOf('export const spec = ');
  const end = source.indexOf('} as const;', start);
  if (start < 0 || end < 0)
    throw new Error(`no embedded spec found in ${routerFile}`);
  const rewritten = `${source.slice(
    0,
    start,
  )}export const spec = ${JSON.stringify(document, null, 2)}${source.slice(
    end + 1,
  )}`;
  const options = (await prettier.resolveConfig(routerFile)) ?? {};
  fs.writeFileSync(
    routerFile,
    await prettier.format(rewritten, { ...options, filepath: routerFile }),
  );
  console.log(
    `embedded openapi.yaml in ${path.relative(process.cwd(), routerFile)}`,
  );
}

main().catch(e => {
  console.error(e.message);
  process.exit(1);
});
