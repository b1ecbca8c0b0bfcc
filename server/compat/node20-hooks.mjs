// Module hooks loaded by node20.mjs (they run on the loader thread).
const SHIM_URL = 'huitong-compat:node-fs';

export async function resolve(specifier, context, nextResolve) {
  if ((specifier === 'node:fs' || specifier === 'fs') && context.parentURL?.includes('/node_modules/@mikro-orm/')) {
    return { url: SHIM_URL, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (url === SHIM_URL) {
    const source = [
      "import fs from 'node:fs';",
      "export * from 'node:fs';",
      'export default fs;',
      "export const globSync = () => { throw new Error('fs.globSync needs Node 22; install tinyglobby'); };",
    ].join('\n');
    return { format: 'module', source, shortCircuit: true };
  }
  return nextLoad(url, context);
}
