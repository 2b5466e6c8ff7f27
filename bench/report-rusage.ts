/**
 * Preloaded into a measured process (`node --import`): at exit, writes the peak resident set
 * size that the OS reports (getrusage ru_maxrss, in KiB) to the file named by KMM_BENCH_RUSAGE.
 */
import { writeFileSync } from 'node:fs';

const target = process.env.KMM_BENCH_RUSAGE;
if (target) {
  process.on('exit', () => {
    writeFileSync(target, JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS }));
  });
}
