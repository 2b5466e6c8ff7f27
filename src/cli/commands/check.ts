/** `kmm-render check` (SPEC §1, §7): render in memory and compare with the tree on disk. I/O edge. */
import { resolve } from 'node:path';
import { readOutputTree, readOwnedFiles } from '../../output/write-tree.js';
import { compareTrees } from '../../review/compare-trees.js';
import { EXIT_DIFFERENCE, EXIT_INPUT_ERRORS, EXIT_OK } from '../exit-codes.js';
import { countSummary, printDiagnostics } from '../report.js';
import { renderRepo, resolveOutDir, type RenderOptions } from './render.js';

export async function runCheck(o: RenderOptions): Promise<number> {
  const repo = resolve(o.repo);
  const out = resolveOutDir(repo, o.out);
  const command = ['kmm-render', 'render', ...(o.strict ? ['--strict'] : []), ...(o.pinDigests ? ['--pin-digests'] : [])].join(' ');
  const result = await renderRepo({ ...o, clusters: [] }, out, command);
  printDiagnostics(result.diagnostics, o.format);
  if (!result.ok || !result.tree) {
    process.stderr.write(`kmm-render: ${countSummary(result.diagnostics)}; cannot check\n`);
    return EXIT_INPUT_ERRORS;
  }
  const stale = compareTrees(result.tree.files, readOutputTree(out), new Set(readOwnedFiles(out).keys()));
  if (stale.length === 0) {
    process.stderr.write(`kmm-render: ${out} is up to date\n`);
    return EXIT_OK;
  }
  process.stdout.write(stale.map((s) => `${s.path}: ${s.reason}`).join('\n') + '\n');
  process.stderr.write(`kmm-render: ${stale.length} file(s) in ${out} are stale; run kmm-render render\n`);
  return EXIT_DIFFERENCE;
}
