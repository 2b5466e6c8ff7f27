/**
 * The line scan of fast-locate.ts must give exactly the positions (and scalar source texts)
 * that the yaml syntax tree gives, for every node of every document, or decline. Checked on
 * every fixture and corpus file, on mutated files, and on a table of layouts.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';
import { FastLocator } from '../src/diagnostics/fast-locate.js';
import { locate, scalarSourceAt, type DocPath, type SourceDocument } from '../src/diagnostics/locate.js';
import { applyMutations, mutationSteps, SEEDS } from './support/mutations.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 500);

/** Every path of a document's tree, plus one that does not exist under each collection. */
function pathsOf(node: Node | null, at: DocPath = [], out: DocPath[] = []): DocPath[] {
  out.push(at);
  if (isMap(node)) {
    out.push([...at, 'no-such-key']);
    for (const p of node.items) if (isPair(p) && isScalar(p.key)) pathsOf(p.value as Node | null, [...at, String(p.key.value)], out);
  } else if (isSeq(node)) {
    out.push([...at, node.items.length]);
    node.items.forEach((item, i) => pathsOf(item as Node, [...at, i], out));
  }
  return out;
}

/** Compares both locators on every path of every document; returns how many documents the scan took. */
function assertAgrees(text: string, label: string): number {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { version: '1.1', schema: 'failsafe', lineCounter, uniqueKeys: false });
  if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0)) return 0;
  const fast = new FastLocator(text);
  let taken = 0;
  docs.forEach((doc, index) => {
    const tree: SourceDocument = { file: 'f.yaml', index, doc, lineCounter };
    const scanned: SourceDocument = { ...tree, fast };
    let took = false;
    for (const path of pathsOf(doc.contents as Node | null)) {
      for (const atKey of [false, true]) {
        if (!fast.locate(index, path, atKey)) continue;
        took = true;
        assert.equal(locate(scanned, path, atKey), locate(tree, path, atKey), `${label} doc ${index} ${JSON.stringify(path)} atKey=${atKey}`);
      }
      if (fast.scalar(index, path) !== undefined) assert.equal(scalarSourceAt(scanned, path), scalarSourceAt(tree, path), `${label} doc ${index} scalar ${JSON.stringify(path)}`);
    }
    if (took) taken++;
  });
  return taken;
}

test('every fixture and corpus file: the scan agrees with the tree on every node, and takes most documents', () => {
  let documents = 0;
  let taken = 0;
  for (const [i, files] of SEEDS.entries()) {
    for (const f of files) {
      if (!/\.ya?ml$/.test(f.path)) continue;
      documents += parseAllDocuments(f.text).length;
      taken += assertAgrees(f.text, `seed ${i} ${f.path}`);
    }
  }
  // Not a check of correctness (above) but that the scan is worth having on real inputs.
  assert.ok(taken / documents > 0.9, `the scan took ${taken} of ${documents} documents`);
});

test('layouts: compact sequences, items that are mappings, block scalars, quoted keys, comments, several documents', () => {
  const table = [
    'a:\n- x\n- y\nb: 1\n',
    'a:\n  - x\n  - k: v\n    l: w\n  - - declined\n',
    'items:\n- name: n1\n  labels:\n    a: "1"\n- name: n2\n',
    'k: |\n  line one\n\n  line two\nnext: v # comment\n',
    '"quoted key": v\n\'single\': w\nplain key: x\n',
    '# leading comment\n---\na: 1\n---\nb: [ ]\nc: {}\n---\n',
    'a: 1\n---\n---\nb: 2\n',
    'root:\n  child:\n    leaf: value with spaces   # trailing\n  other: http://example.com/x:y\n',
    'a: &anchor 1\nb: *anchor\n',
    'a: multi\n  line\nb: 2\n',
  ];
  for (const text of table) assertAgrees(text, JSON.stringify(text));
});

test('mutated files: the scan agrees with the tree or declines', () => {
  fc.assert(
    fc.property(fc.nat({ max: SEEDS.length - 1 }), mutationSteps, (seed, steps) => {
      const { files, label } = applyMutations(SEEDS[seed]!.filter((f) => /\.ya?ml$/.test(f.path)), steps);
      for (const f of files) assertAgrees(f.text, `${seed}:${label} ${f.path}`);
    }),
    { numRuns: RUNS, seed: 20261201 },
  );
});

test.run();
