/**
 * The block-YAML line reader (block-yaml-read.ts) must give exactly the slow path's values —
 * the `yaml` syntax tree composed by go-yaml's rules — document by document, or decline the
 * file. Checked directly (not through the chain of readers) on every seed file, on corner
 * cases of the shapes it takes, and on files mutated line by line where its rules live:
 * indentation, keys, scalars, markers.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readBlockYamlFast } from '../src/load/block-yaml-read.js';
import { parseFile } from '../src/load/parse-documents.js';
import { pruneNullsWithDepth } from '../src/load/prune-nulls.js';
import { SEEDS } from './support/mutations.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 500);

/** The slow path's documents (index and value), or undefined when it reports a diagnostic. */
function slowDocuments(text: string) {
  const { documents, diagnostics } = parseFile({ path: 'input.yaml', text }, undefined, { fastRead: false });
  return diagnostics.length > 0 ? undefined : documents.map((d) => ({ index: d.source.index, value: d.value }));
}

/**
 * The block reader's documents as parseFile keeps them (nulls pruned), or undefined when it
 * declines — or reads a document that is not a mapping, which parseFile hands to the slow
 * path for its diagnostic.
 */
function blockDocuments(text: string) {
  const read = readBlockYamlFast(text);
  if (!read) return undefined;
  const out: { index: number; value: unknown }[] = [];
  let depth = 0;
  for (const [index, value] of read.values.entries()) {
    if (value === null) continue;
    if (typeof value !== 'object' || Array.isArray(value)) return undefined;
    // The reader drops null fields and measures the nesting itself: as pruneNullsWithDepth would.
    const pruned = pruneNullsWithDepth(structuredClone(value));
    assert.equal(value, pruned.value, 'no null field is left');
    depth = Math.max(depth, pruned.depth);
    out.push({ index, value });
  }
  if (out.length > 0) assert.is(read.prunedDepth, depth, 'the nesting the reader measured');
  return out;
}

/** Asserts agreement when the block reader accepts; true when it did. */
function assertAgreesOrDeclines(text: string, label: string): boolean {
  const block = blockDocuments(text);
  if (block === undefined) return false;
  const slow = slowDocuments(text);
  assert.ok(slow, `${label}: the block reader accepted a file the slow path refuses`);
  assert.equal(block, slow, label);
  return true;
}

test('every seed file the block reader accepts reads to the slow path\'s values', () => {
  let accepted = 0;
  let files = 0;
  for (const file of SEEDS.flat()) {
    files++;
    if (assertAgreesOrDeclines(file.text, file.path)) accepted++;
  }
  console.log(`  block-read: ${accepted} of ${files} seed files accepted`);
  // Hand-written files mostly use flow collections or block scalars; printed ones are plain.
  assert.ok(accepted > files / 8, 'the plain block files of the fixtures are accepted');
});

/** What kubectl prints for a NodeFeature, and the shapes around it. */
const ACCEPTED = [
  'apiVersion: nfd.k8s-sigs.io/v1alpha1\nkind: NodeFeature\nmetadata:\n  name: n1\n  labels:\n    nfd.node.kubernetes.io/node-name: n1\nspec:\n  features:\n    flags:\n      cpu.cpuid:\n        elements:\n          AVX512F: {}\n    attributes:\n      kernel.version:\n        elements:\n          full: 5.14.0-427.22.1.el9_4.x86_64\n          major: "5"\n    instances:\n      pci.device:\n        elements:\n        - attributes:\n            vendor: "10de"\n            class: "0300"\n  labels: {}\n',
  'apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Node\n  metadata:\n    name: a\n- apiVersion: v1\n  kind: Node\n  metadata:\n    name: b\nkind: List\nmetadata:\n  resourceVersion: ""\n',
  'a:\n  - 1\n  - "2"\n  - yes\n  -\n  - ~\nb:\n- x\n-   w: 1\n    z: 2\nc: []\n',
  '# leading comment\n---\nkind: A\n---\n---\nkind: B\n  # an indented comment\nneg: -1\nf: 1.5e3\no: 0o17\nh: 0x1F\nq: \'it\'\'s\'\ne: ""\nk: v  \n',
  '"quoted key": 1\n\'single: key\': 2\nkey with spaces: x:y\nurl: http://example.com/a#b\nimage: quay.io/org/img:1.0@sha256:abc\n',
  'regexp: ^5\\.14\\.0-(427|503)\\.\nsingle: \'C:\\\\path\'\n',
  'script: |\n  #!/bin/sh\n  set -e && echo "a: b" # not a comment\n\n    indented more\ntrail: |+\n  kept\n\n\nstrip: |-\n  stripped\n\nclip: |\n\n  after an empty line\n\n\nlast: 1\n',
  'a: 1\n---\n',
  '---\n',
  '',
  '# only a comment\n',
];

/** Shapes it leaves to the other readers (each is read by them, or refused with a diagnostic). */
const DECLINED = [
  'a: &x 1\nb: *x\n',
  'a: !custom v\n',
  'base: {x: 1}\n',
  'list: [1, 2]\n',
  'folded: >-\n  text\n',
  'indicator: |2\n   text\n',
  'commented: | # c\n  text\n',
  'spaces: |\n  text\n   \n  more\n',
  'empty: |\nnext: 1\n',
  'eof: |\n  no newline',
  'entry:\n- |\n  text\n',
  'plain: multi\n  line\n',
  'q: "continued\n  on the next line"\n',
  'e: "escaped\\tvalue"\n',
  '"escaped\\u0041key": 1\n',
  'a: 1 # a comment after a value\n',
  'a: 1\na: 2\n',
  'a:\tb\n',
  'a: 1\r\nb: 2\r\n',
  '<<: {a: 1}\n',
  '? complex\n: value\n',
  '%YAML 1.1\n---\na: 1\n',
  'a: 1\n...\n',
  '--- a: 1\n',
  '  indented: root\n',
  'a:\n    b: 1\n  c: 2\n',
  'a:\n  - - x\n',
  'a: - x\n',
  'a: b: c\n',
  'a: b:\n',
  'y: a key go-yaml reads as true\n',
  '1: a numeric key\n',
  '~: a null key\n',
  '__proto__: x\n',
  'f: .inf\n',
  'a : spaced colon\n',
  'scalar root\n',
  'a: 1\n- x\n',
  'a:\n- x\nb\n',
  '\ufeffa: 1\n',
  'emoji: 😀\n',
];

test('the shapes kubectl and go-yaml print are accepted, with the slow path\'s values', () => {
  for (const text of ACCEPTED) {
    assert.ok(readBlockYamlFast(text), `${JSON.stringify(text)} is accepted`);
    assert.ok(assertAgreesOrDeclines(text, JSON.stringify(text)));
  }
});

test('anything else is declined to the other readers', () => {
  for (const text of DECLINED) assert.is(readBlockYamlFast(text), undefined, JSON.stringify(text));
});

test('a sequence at its key\'s column and an indented one read alike; markers number documents as the yaml package does', () => {
  assert.equal(readBlockYamlFast('a:\n- 1\n- 2\n')?.values, [{ a: [1, 2] }]);
  assert.equal(readBlockYamlFast('a:\n  - 1\n  - 2\n')?.values, [{ a: [1, 2] }]);
  assert.equal(readBlockYamlFast('---\n---\nb: 1\n---\n')?.values, [null, { b: 1 }, null]);
  assert.equal(readBlockYamlFast('# c\n---\nkind: A\n')?.values, [{ kind: 'A' }]);
});

/** Line edits where the reader's rules live. */
const SCALARS = ['yes', '~', '', '.inf', '-.Inf', '0x1F', '1e3', '-1', '0755', "'a''b'", '"x"', '"', "'", '{}', '[]', '{ }', '[1]', '- x', 'a: b', '#c', 'a #c', ':x', '?x', '-', '<<', '&a x', '*a', '!t x', '|', '>', '%x', '@x', '`x', 'a:', 'x,y', 'a]', '209276e89438390', 'True', 'NULL', '1:20', '2024-01-01', 'a\\b', '"a\\"b"', '"a\\nb"', "'a\\b'", '|', '|-', '|+', '|2', '>-'];
const KEYS = ['k', '"k"', "'k'", 'y', '1', '1.5', '~', 'null', '__proto__', '<<', 'a b', 'a #b', '-k', '?k', '"a: b"', "'it''s'", 'E1000', '0300_10de', 'k ', ''];
type LineEdit = (lines: string[], r: () => number) => void;
const pick = <T>(list: readonly T[], r: () => number): T => list[Math.floor(r() * list.length)]!;
const EDITS: Record<string, LineEdit> = {
  indent: (lines, r) => {
    const i = Math.floor(r() * lines.length);
    lines[i] = ' '.repeat(1 + Math.floor(r() * 3)) + lines[i];
  },
  dedent: (lines, r) => {
    const i = Math.floor(r() * lines.length);
    lines[i] = lines[i]!.replace(/^ {1,2}/, '');
  },
  duplicateLine: (lines, r) => {
    const i = Math.floor(r() * lines.length);
    lines.splice(i, 0, lines[i]!);
  },
  deleteLine: (lines, r) => {
    lines.splice(Math.floor(r() * lines.length), 1);
  },
  value: (lines, r) => {
    const i = Math.floor(r() * lines.length);
    lines[i] = lines[i]!.replace(/^(\s*(?:- )?[^:]*:)(?: .*)?$/, `$1 ${pick(SCALARS, r)}`);
  },
  key: (lines, r) => {
    const i = Math.floor(r() * lines.length);
    lines[i] = lines[i]!.replace(/^(\s*(?:- )?)[^:\s][^:]*:/, `$1${pick(KEYS, r)}:`);
  },
  entry: (lines, r) => {
    const i = Math.floor(r() * lines.length);
    lines[i] = lines[i]!.replace(/^(\s*)(\S)/, `$1${pick(['- ', '-', '- - ', '-  '], r)}$2`);
  },
  marker: (lines, r) => {
    lines.splice(Math.floor(r() * (lines.length + 1)), 0, pick(['---', '...', '--- x', '# c', '', '   ', '---  '], r));
  },
};
const EDIT_NAMES = Object.keys(EDITS);
const ACCEPTED_SEEDS = [...ACCEPTED, ...SEEDS.flat().map((f) => f.text).filter((t) => readBlockYamlFast(t) !== undefined)];

test(`${RUNS} files edited line by line: the block reader agrees with the slow path or declines`, () => {
  let accepted = 0;
  fc.assert(
    fc.property(fc.nat({ max: ACCEPTED_SEEDS.length - 1 }), fc.array(fc.constantFrom(...EDIT_NAMES), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (index, edits, seed) => {
      let state = seed;
      const r = () => (state = (state * 48271) % 2147483647) / 2147483647;
      const lines = ACCEPTED_SEEDS[index]!.split('\n');
      for (const e of edits) if (lines.length > 0) EDITS[e]!(lines, r);
      const text = lines.join('\n');
      if (assertAgreesOrDeclines(text, `${index} + ${edits.join('+')}: ${JSON.stringify(text.slice(0, 400))}`)) accepted++;
    }),
    { numRuns: RUNS, seed: 20261201 },
  );
  console.log(`  block-read: ${accepted} of ${RUNS} edited files accepted, all agreeing`);
  assert.ok(accepted > 0);
});

test(`${RUNS} generated literal block scalars: the block reader agrees with the slow path or declines`, () => {
  let accepted = 0;
  const line = fc.constantFrom('', 'x', ' y', '   z', '#c', 'a: b', '- i', "'q'", 'tail  ', '   ');
  fc.assert(
    fc.property(fc.constantFrom('|', '|-', '|+', '|1', '| #c'), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 3 }), fc.array(line, { maxLength: 6 }), fc.constantFrom('', 'next: 1\n', '  deeper: 1\n', '---\nb: 2\n'), fc.boolean(), (header, keyIndent, extra, lines, after, inSequence) => {
      const pad = ' '.repeat(keyIndent);
      const contentPad = ' '.repeat(keyIndent + 1 + extra);
      const body = lines.map((l) => (l === '' ? '' : contentPad + l)).join('\n');
      const open = inSequence ? `list:\n${pad}- key: ${header}\n` : `${keyIndent > 0 ? 'outer:\n' : ''}${pad}key: ${header}\n`;
      const text = `${open}${body}${lines.length > 0 ? '\n' : ''}${after}`;
      if (assertAgreesOrDeclines(text, JSON.stringify(text))) accepted++;
    }),
    { numRuns: RUNS, seed: 20261202 },
  );
  console.log(`  block-read: ${accepted} of ${RUNS} literal block scalars accepted, all agreeing`);
  assert.ok(accepted > 0);
});

test.run();
