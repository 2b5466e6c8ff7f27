/**
 * The fast readers (js-yaml with the go-yaml resolver, JSON.parse) must give exactly the values
 * of the slow path (the `yaml` syntax tree composed by compose-values.ts), document by
 * document, or decline. Checked on every fixture and corpus file, on a table of scalar corner
 * cases, and on mutated files.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readJsonFast, readYamlFast } from '../src/load/fast-read.js';
import { readBlockYamlFast } from '../src/load/block-yaml-read.js';
import { parseFile } from '../src/load/parse-documents.js';
import { MUTATIONS, NAMES, SEEDS } from './support/mutations.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 500);

/** What parseFile gives: each document's index and value, and the diagnostics. */
function parsed(text: string, fastRead: boolean) {
  const { documents, diagnostics } = parseFile({ path: 'input.yaml', text }, undefined, { fastRead });
  return { documents: documents.map((d) => ({ index: d.source.index, value: d.value })), diagnostics };
}

/** Asserts that both paths give the same documents; true when the fast path took the file. */
function assertAgrees(text: string, label: string): boolean {
  const fast = parsed(text, true);
  const slow = parsed(text, false);
  assert.equal(fast, slow, label);
  return (readJsonFast(text) ?? readBlockYamlFast(text) ?? readYamlFast(text)) !== undefined && slow.diagnostics.length === 0;
}

test('every fixture and corpus file reads to the same values on the fast path', () => {
  let fast = 0;
  let files = 0;
  for (const repo of SEEDS) {
    for (const file of repo) {
      files++;
      if (assertAgrees(file.text, file.path)) fast++;
    }
  }
  console.log(`  fast-read: ${fast} of ${files} seed files read on the fast path`);
  assert.ok(fast > files / 2, 'most ordinary files take the fast path');
});

const CORNERS = [
  'a: yes\nb: no\nc: on\nd: off\ne: y\nf: N\ng: True\nh: "yes"\n',
  'oct: 0755\nbin: 0b101\nhex: 0x1F\ndec: +12\nunder: 1_000\nsexa: 1:20\nsexaf: 1:20.5\nneg: -0\n',
  'f1: 1.5\nf2: .5\nf3: 1e3\nf4: .inf\nf5: -.Inf\nf6: .nan\nf7: 1.\nf8: 6.8523015e+5\n',
  'n1: ~\nn2: null\nn3: NULL\nn4:\nn5: ""\n',
  'date: 2024-01-01\nts: 2001-12-14t21:59:43.10-05:00\nnot: 2024-1-1x\n',
  'q1: \'0755\'\nq2: "0x1F"\nq3: "1:20"\nversion: 4.16\nkernel: 5.14.0-427.22.1.el9_4.x86_64\n',
  'block: |\n  line one\n  line two\nfolded: >-\n  a\n  b\n\n  c\nplain: multi\n  line\n  plain\n',
  '__proto__: {polluted: yes}\nconstructor: x\n',
  'a: 1\n---\n---\nb: 2\n---\n',
  '# only a comment\n',
  '',
  '---\n- a\n- b\n',
  'list:\n- 1\n- "2"\n- [3, "four", {five: 5}]\nempty: {}\nnone: []\n',
  'key with spaces: v\n"quoted: key": v\n? complex\n: value\n',
  'unicode: "\\u00e9\\t\\x41"\nsingle: \'it\'\'s\'\nemoji: 😀\n',
  '{"apiVersion": "v1", "kind": "Node", "n": 1e2, "s": "yes", "nested": {"a": [1, 2.5, null, true]}}',
  '[{"a": 1}, {"a": 2}]',
  'keys:\n  1e6: a\n  y: b\n  0x1F: c\n  1.5: d\n  9007199254740993: e\n  .inf: f\n',
  'nullkey:\n  ~: a\n',
  'quotednull:\n  "null": a\n',
  '? [a, b]\n: c\n',
  'big: 18446744073709551615\nover: 209276e89438390\ninf: .inf\n',
  '{"big": 1e999, "zero": -0, "neg": -0.0}',
  'a:\n  - - -\n    - x\n',
  'a:\n  - -\n  - x\n',
  'v: [a:, b]\nw: [:c]\n',
];

test('scalar and key corner cases: the fast path gives the slow path\'s values or declines', () => {
  for (const text of CORNERS) assertAgrees(text, JSON.stringify(text));
});

test('a kernel.config key like E1000 stays a string on both paths (go-yaml needs a digit before an exponent)', () => {
  const text = 'E1000: m\ne5: x\n1e3: y\n.5e2: z\n';
  assertAgrees(text, 'exponent-like keys');
  assert.equal(Object.keys(parseFile({ path: 'f.yaml', text }, undefined, { fastRead: false }).documents[0]!.value as object).sort(), ['1000', '50', 'E1000', 'e5']);
});

test('the fast path declines what only the slow path may judge', () => {
  const declined = [
    'a: &x 1\nb: *x\n',
    'a: !custom v\n',
    'a: !!str 1\n',
    'base: &b {x: 1}\nd:\n  <<: *b\n',
    '%YAML 1.2\n---\na: 1\n',
    'a: 1\na: 2\n',
    'a: [1, 2\n',
    'a:\tb\n\tc: d\n',
    'a: "continued\non a line less indented"\n',
    "a: 'continued\non a line less indented'\n",
    'list:\n  - "x\n  y"\n',
  ];
  for (const text of declined) assert.is(readYamlFast(text), undefined, JSON.stringify(text));
  for (const text of ['block: |\n  a\n  b\nfolded: >-\n  c\n  d\n', 'plain: multi\n  line\n', 'q: "one line"\n# a comment: "x\nr: 1\n']) {
    assert.ok(readYamlFast(text), `${JSON.stringify(text)} takes the fast path`);
  }
  assert.is(readJsonFast('{"a": 1, "b": {"a": 2}, "a": 3}'), undefined, 'a repeated JSON key goes to the slow path');
  assert.ok(readJsonFast('{"a": 1, "b": {"a": 2}, "c": [{"a": 1}, {"a": 2}]}'), 'the same key in different objects is fine');
  assert.is(readJsonFast('a: 1'), undefined);
});

test('a declined file still gets its diagnostic, with its position', () => {
  const { diagnostics } = parseFile({ path: 'x.json', text: '{\n  "a": 1,\n  "a": 2\n}\n' });
  assert.is(diagnostics[0]?.code, 'YAML_SYNTAX');
  assert.is(diagnostics[0]?.line, 3);
  assert.is(diagnostics[0]?.col, 3);
});

test('a fast-read document points into its file when a later phase needs a position', () => {
  const { documents, diagnostics } = parseFile({ path: 'm.yaml', text: '# first\n---\nkind: A\n---\nkind: B\nspec:\n  x: 1\n' });
  assert.is(diagnostics.length, 0);
  assert.is(documents.length, 2);
  const second = documents[1]!.source;
  assert.is(second.index, 1, 'a leading comment belongs to the first document');
  const offset = second.doc.contents!.range![0];
  assert.equal(second.lineCounter.linePos(offset), { line: 5, col: 1 });
});

test(`${RUNS} mutated files: the fast path agrees with the yaml package or declines`, () => {
  const files = SEEDS.flat();
  let fast = 0;
  fc.assert(
    fc.property(fc.nat({ max: files.length - 1 }), fc.constantFrom(...NAMES), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (index, mutation, seed) => {
      let state = seed;
      const r = () => (state = (state * 48271) % 2147483647) / 2147483647;
      const text = MUTATIONS[mutation]!(files[index]!.text, r);
      if (assertAgrees(text, `${files[index]!.path} + ${mutation}`)) fast++;
    }),
    { numRuns: RUNS, seed: 20261122 },
  );
  console.log(`  fast-read: ${fast} of ${RUNS} mutated files read on the fast path, all agreeing`);
});

test.run();
