/*
 * Shared by every package's .eslintrc.js: no import cycles (`import/no-cycle`),
 * with eslint-plugin-import taught to follow TypeScript imports, which it does
 * not by default. `import type` edges are not followed: they vanish when
 * compiled, so they make no cycle at runtime.
 */
module.exports = {
  settings: {
    'import/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    'import/resolver': {
      node: { extensions: ['.ts', '.tsx', '.js', '.jsx', '.json'] },
    },
    // Dependencies are never parsed: a cycle through them is not ours.
    'import/ignore': ['node_modules'],
  },
  rules: {
    'import/no-cycle': ['error', { ignoreExternal: true }],
  },
};
