import { readRepo, readReaderSettings } from './dist/src/repo/read-repo.js';
import { splitIntoUnits } from './dist/src/units/split-units.js';
import { compileUnitsInWorkers } from './dist/src/run/worker-pool.js';
const repo = '/work/main/.bench/medium/repo';
const snap = readRepo(repo, undefined, readReaderSettings(repo));
const units = splitIntoUnits(snap).slice(0, 4);
for (const jobs of [1, 2, 1, 2]) { const t = performance.now(); await compileUnitsInWorkers(units, { strict: false, pinDigests: false }, jobs); console.log(jobs, Math.round(performance.now() - t)); }
