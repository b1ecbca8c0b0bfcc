// MikroORM 7 imports `globSync` from 'node:fs', which Node 20 lacks (it arrived in Node 22),
// although it swaps in tinyglobby when that is installed. On Node 20 this hook hands MikroORM's
// modules an 'node:fs' that also exports `globSync`, so the import links; on Node 22+ it does nothing.
import { register } from 'node:module';
import fs from 'node:fs';

if (typeof fs.globSync !== 'function') {
  register(new URL('./node20-hooks.mjs', import.meta.url));
}
