// MikroORM 7 imports `globSync` from 'node:fs', which Node 20 lacks (it arrived in Node 22), so
// its modules fail to link. `npm ci` applies patches/@mikro-orm+core+*.patch (patch-package), which
// reads it from the module's namespace instead. Only when that patch is missing (an install run with
// --ignore-scripts) does this register a module hook that hands MikroORM an 'node:fs' exporting
// `globSync` — a hook costs every later import a round trip to the loader thread, about a second
// of start-up per process, which is why the patch comes first. On Node 22+ it does nothing.
import { register, createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const needsHook = () => {
  try {
    const corePackage = createRequire(import.meta.url).resolve('@mikro-orm/core/package.json');
    const fsUtils = path.join(path.dirname(corePackage), 'utils', 'fs-utils.js');
    return /globSync as nodeGlobSync/.test(fs.readFileSync(fsUtils, 'utf8'));
  } catch {
    return true;
  }
};

if (typeof fs.globSync !== 'function' && needsHook()) {
  register(new URL('./node20-hooks.mjs', import.meta.url));
}
