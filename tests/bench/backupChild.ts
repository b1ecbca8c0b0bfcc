/** One backup in a process of its own, so that its peak resident memory is its own (`npm run bench:backup`). */
import { takeBackup } from '../../server/operations/backup.js';

const [databaseUrl, outDir] = process.argv.slice(2);
const started = performance.now();
const result = await takeBackup({ databaseUrl: databaseUrl!, outDir: outDir! });
// maxRSS is in kilobytes.
console.log(JSON.stringify({ path: result.path, bytes: result.bytes, seconds: (performance.now() - started) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
