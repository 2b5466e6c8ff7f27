/**
 * The design holds (ARCHITECTURE.md): domain folders are pure — no file system, process,
 * network, git, cluster client, clock or randomness; dependencies point one way, down the
 * layers below (static imports, `import type`, re-exports and dynamic `import()` alike), and
 * no two files import each other, even through others.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT } from './support/paths.js';

const PURE = ['base', 're2', 'targets', 'diagnostics', 'k8s', 'load', 'validate', 'nfd', 'kmm', 'plan', 'render', 'model', 'review', 'explain', 'preflight', 'gitops', 'units', 'report'];
const PURE_FILES = ['compile.ts', 'nfd-dryrun.ts', 'output/build-tree.ts', 'output/readme.ts', 'output/render-lock.ts', 'cluster/inventory-objects.ts', 'cluster/compact-inventory.ts', 'forge/comment-marker.ts', 'forge/plan-comment-sync.ts', 'forge/forges.ts'];
const FORBIDDEN_IMPORTS = /from '(node:)?(fs|fs\/promises|child_process|net|http|https|http2|dgram|dns|os|worker_threads|cluster)'|from '(simple-git|@kubernetes\/client-node|fast-glob)'/;
const FORBIDDEN_CALLS = /\bDate\.now\(|\bnew Date\(|\bMath\.random\(|\bprocess\.(env|cwd|argv|hrtime)\b|\bperformance\.now\(|\bfetch\(/;

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const abs = join(dir, n);
    return statSync(abs).isDirectory() ? tsFiles(abs) : n.endsWith('.ts') ? [abs] : [];
  });
}

const src = join(ROOT, 'src');
const pureFiles = [...PURE.flatMap((d) => tsFiles(join(src, d))), ...PURE_FILES.map((f) => join(src, f))];

test('there are domain files to check', () => {
  assert.ok(pureFiles.length > 20);
});

for (const file of pureFiles) {
  const rel = file.slice(src.length + 1);
  test(`${rel} touches no disk, process, network, git, clock or randomness`, () => {
    const text = readFileSync(file, 'utf8');
    const imp = FORBIDDEN_IMPORTS.exec(text);
    assert.not.ok(imp, `${rel} imports ${imp?.[0]}`);
    const call = FORBIDDEN_CALLS.exec(text);
    assert.not.ok(call, `${rel} uses ${call?.[0]}`);
  });
}

test('domain code never imports from the I/O edges', () => {
  for (const file of pureFiles) {
    const text = readFileSync(file, 'utf8');
    assert.not.match(text, /from '\.\.?\/(\.\.\/)*(cli|repo)\//, file);
    assert.not.match(text, /write-tree\.js'/, file);
  }
});

/**
 * The layers, lowest first: a folder may import its own files and those of lower layers only.
 * `.` is the pipeline at the root (compile.ts, nfd-dryrun.ts); `index` is the public API
 * (index.ts). Folders of one layer do not import each other.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['base'],
  ['diagnostics'],
  ['k8s', 're2', 'targets'],
  ['load'],
  ['model'],
  ['kmm', 'nfd'],
  ['validate'],
  ['plan'],
  ['render'],
  ['output'],
  ['review', 'explain', 'preflight', 'gitops', 'cluster', 'forge'],
  ['report'],
  ['.'],
  ['units'],
  ['disk', 'git', 'package'],
  ['repo'],
  ['run'],
  ['cli', 'index'],
];
const layerOf = new Map(LAYERS.flatMap((folders, rank) => folders.map((f) => [f, rank] as const)));
const folderOf = (rel: string) => (rel === 'index.ts' ? 'index' : rel.includes('/') ? rel.slice(0, rel.indexOf('/')) : '.');

/** Every relative module a file imports: `import`, `import type`, `export … from`, `import()`. */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  const re = /(?:^|[\s;])(?:import|export)\s[^'";]*?from\s+['"](\.[^'"]+)['"]|(?:^|[\s;])import\s+['"](\.[^'"]+)['"]|\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push((m[1] ?? m[2] ?? m[3])!);
  return out;
}

const allFiles = tsFiles(src).map((f) => f.slice(src.length + 1));
const edges = new Map(allFiles.map((rel) => [rel, importsOf(readFileSync(join(src, rel), 'utf8')).map((spec) => posix.normalize(posix.join(posix.dirname(rel), spec)).replace(/\.js$/, '.ts'))]));

test('the import reader sees every form of import, dynamic ones too', () => {
  const seen = importsOf("import a from './a.js';\nimport type { B } from '../b.js';\nexport { c } from './c.js';\nconst d = await import('./d.js');\nimport './e.js';");
  assert.equal(seen, ['./a.js', '../b.js', './c.js', './d.js', './e.js']);
});

test('every folder of src/ has a layer', () => {
  for (const rel of allFiles) assert.ok(layerOf.has(folderOf(rel)), `${rel}: folder ${folderOf(rel)} is in no layer of test/architecture.test.ts`);
});

test('dependencies point one way: no folder imports a folder of its own layer or a higher one', () => {
  const backEdges: string[] = [];
  for (const [from, targets] of edges) {
    const a = folderOf(from);
    for (const to of targets) {
      const b = folderOf(to);
      if (a !== b && layerOf.get(b)! >= layerOf.get(a)!) backEdges.push(`${from} -> ${to}`);
    }
  }
  assert.equal(backEdges, []);
});

test('no import cycles between files (type imports included)', () => {
  // Depth-first search with colours: a grey target is a cycle.
  const colour = new Map<string, 'grey' | 'black'>();
  const cycles: string[] = [];
  const visit = (file: string, path: string[]) => {
    colour.set(file, 'grey');
    for (const to of edges.get(file) ?? []) {
      if (!edges.has(to)) continue;
      if (colour.get(to) === 'grey') cycles.push([...path, file, to].slice(path.indexOf(to) >= 0 ? path.indexOf(to) : path.length).join(' -> '));
      else if (!colour.has(to)) visit(to, [...path, file]);
    }
    colour.set(file, 'black');
  };
  for (const file of [...edges.keys()].sort()) if (!colour.has(file)) visit(file, []);
  assert.equal(cycles, []);
});

test('what depends on the distribution is decided in targets/ only (the target seam)', () => {
  for (const rel of allFiles) {
    if (rel.startsWith('targets/')) continue;
    assert.not.match(readFileSync(join(src, rel), 'utf8'), /\bdistribution\s*[!=]==|[!=]==\s*[\w.?]*\bdistribution\b/, `${rel} decides on the distribution itself; ask its Target (targets/target.ts)`);
  }
});

test('no grab-bag files (utils, helpers, misc)', () => {
  for (const file of tsFiles(src)) assert.not.match(file, /(utils|helpers|misc)\.ts$/);
});

test.run();
