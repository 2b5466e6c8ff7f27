/** Compiling fixture repositories in memory, the way `render` does. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse as yamlParse } from 'yaml';
import { loadAssets, toolVersion } from '../../src/package/assets.js';
import { compile, type CompileOptions, type CompileResult } from '../../src/compile.js';
import type { InputFile, RepoSnapshot } from '../../src/load/repo-snapshot.js';
import { readReaderSettings, readRepo } from '../../src/repo/read-repo.js';
import { readOutputTree } from '../../src/output/write-tree.js';

export const PROVENANCE = { tool: `kmm-render ${toolVersion()}`, command: 'kmm-render render' };

/** Reads a repo folder into a snapshot. */
export function snapshotOf(repo: string): RepoSnapshot {
  return readRepo(repo, undefined, readReaderSettings(repo));
}

/** A snapshot from in-memory files. */
export function snapshotFromFiles(files: Record<string, string>): RepoSnapshot {
  return { files: Object.entries(files).map(([path, text]) => ({ path, text })), readDiagnostics: [] };
}

/** Compiles a snapshot with the package's assets and the standard provenance. */
export function compileSnapshot(snapshot: RepoSnapshot, options: CompileOptions = {}): CompileResult {
  return compile(snapshot, loadAssets(), { provenance: PROVENANCE, ...options });
}

/** Every file below `dir` as relative POSIX path → text (the writer's own reader). */
export const readTree = readOutputTree;

/** Writes files (relative path → text) below `dir`. */
export function writeTree(dir: string, files: ReadonlyMap<string, string> | Record<string, string>): void {
  const entries = files instanceof Map ? [...files] : Object.entries(files);
  for (const [p, text] of entries) {
    const abs = join(dir, p);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
}

/** A fresh temporary folder. */
export function tempDir(prefix = 'kmm-render-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Files of a snapshot as a record (for editing in tests). */
export function filesOf(snapshot: RepoSnapshot): Record<string, string> {
  return Object.fromEntries(snapshot.files.map((f: InputFile) => [f.path, f.text]));
}

/** The object files of a rendered cluster folder in apply order, following stage kustomizations. */
export function kustomizationFiles(folder: string): string[] {
  const k = JSON.parse(JSON.stringify((yamlParse(readFileSync(join(folder, 'kustomization.yaml'), 'utf8')) as { resources: string[] }).resources)) as string[];
  return k.flatMap((r) => (existsSync(join(folder, r, 'kustomization.yaml')) ? kustomizationFiles(join(folder, r)).map((f) => `${r}/${f}`) : [r]));
}
