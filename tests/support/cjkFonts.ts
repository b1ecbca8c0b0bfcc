/**
 * A Chinese font for the test browser only: the machine may have no CJK font, and screenshots kept
 * by the tests should show real glyphs, not empty boxes. The product's client bundles no CJK font;
 * its font stack names 'Noto Sans CJK SC', which is the family this declares from the npm package
 * `@fontsource/noto-sans-sc` (split by unicode-range, so a page loads only the parts it shows).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { BrowserContext } from 'playwright-core';

const FONT_PATH = '/__test-fonts/';
let cached: { css: string; files: string } | undefined;

function fontFaces() {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const packageDir = path.dirname(require.resolve('@fontsource/noto-sans-sc/package.json'));
  const css = fs
    .readFileSync(path.join(packageDir, '400.css'), 'utf8')
    .replaceAll("font-family: 'Noto Sans SC'", "font-family: 'Noto Sans CJK SC'")
    .replace(/src: url\(\.\/files\/([^)]+\.woff2)\) format\('woff2'\), url\([^)]+\) format\('woff'\)/g, `src: url(${FONT_PATH}$1) format('woff2')`);
  cached = { css, files: path.join(packageDir, 'files') };
  return cached;
}

/**
 * Serves the font files on the page's own origin (the client's Content-Security-Policy allows fonts
 * from 'self' only) and adds the @font-face rules to every page of the context.
 */
export async function addCjkFont(context: BrowserContext): Promise<void> {
  const { css, files } = fontFaces();
  await context.route(`**${FONT_PATH}*`, (route) => {
    const name = path.basename(new URL(route.request().url()).pathname);
    const file = path.join(files, name);
    if (!/^[\w-]+\.woff2$/.test(name) || !fs.existsSync(file)) return route.fulfill({ status: 404 });
    return route.fulfill({ path: file, contentType: 'font/woff2' });
  });
  await context.addInitScript((rules: string) => {
    const style = document.createElement('style');
    style.textContent = rules;
    const add = () => document.head.appendChild(style);
    if (document.head) add();
    else document.addEventListener('DOMContentLoaded', add);
  }, css);
}
