/**
 * The fuzzers' inputs: seed repositories (every fixture, and every corpus file of
 * ../shared inside a small valid repo) and the mutations applied to their files.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { isMap, isSeq, Pair, parseDocument, Scalar, visit, type Node } from 'yaml';
import type { InputFile } from '../../src/load/repo-snapshot.js';
import { snapshotOf } from './compile-fixture.js';
import { FIXTURES } from './paths.js';
import { sharedPath } from './requirements.js';


/** The seed corpus: each fixture repo, and each corpus file inside a small valid repo. */
export function seeds(): InputFile[][] {
  const out: InputFile[][] = [];
  for (const name of readdirSync(FIXTURES).sort()) {
    const repo = join(FIXTURES, name, 'repo');
    if (existsSync(repo)) out.push([...snapshotOf(repo).files]);
  }
  const corpus = sharedPath('reference', 'corpus');
  if (corpus) {
    const walk = (d: string): string[] => readdirSync(d).sort().flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : /\.(ya?ml|json)$/.test(n) ? [join(d, n)] : []));
    const node = 'apiVersion: v1\nkind: Node\nmetadata: {name: node-1, labels: {node-role.kubernetes.io/worker: ""}}\nstatus: {nodeInfo: {kernelVersion: 5.14.0-427.22.1.el9_4.x86_64}}\n';
    for (const f of walk(corpus)) out.push([{ path: `inputs/${relative(corpus, f).replace(/[^A-Za-z0-9._/-]/g, '_')}`, text: readFileSync(f, 'utf8') }, { path: 'clusters/lab/nodes.yaml', text: node }]);
  }
  return out;
}

export const SEEDS = seeds();

export type Mutation = (text: string, r: () => number) => string;
const pick = <T>(list: readonly T[], r: () => number): T => list[Math.floor(r() * list.length)]!;

/** Structural mutations on the YAML AST of the first document; text mutations otherwise. */
function structural(op: 'delete' | 'retype' | 'swap' | 'duplicate'): Mutation {
  return (text, r) => {
    const doc = parseDocument(text, { version: '1.1', uniqueKeys: false });
    if (doc.errors.length) return text;
    const pairs: { parent: Node; index: number }[] = [];
    visit(doc, {
      Map(_, map) {
        if (isMap(map)) map.items.forEach((_p, index) => pairs.push({ parent: map as unknown as Node, index }));
      },
    });
    if (pairs.length === 0) return text;
    const target = pick(pairs, r);
    const map = target.parent as unknown as { items: { key: unknown; value: unknown }[] };
    const pair = map.items[target.index]!;
    switch (op) {
      case 'delete':
        map.items.splice(target.index, 1);
        break;
      case 'duplicate':
        map.items.splice(target.index, 0, new Pair(pair.key, pair.value) as never);
        break;
      case 'retype':
        pair.value = doc.createNode(pick([42, -1, true, null, 'text', [], ['a', 1], { x: 'y' }, 1e308, '0x1f', '1.0', ''], r));
        break;
      case 'swap': {
        const other = pick(pairs, r);
        const om = other.parent as unknown as { items: { value: unknown }[] };
        const tmp = pair.value;
        pair.value = om.items[other.index]!.value;
        om.items[other.index]!.value = tmp;
        break;
      }
    }
    return writeBack(doc, text);
  };
}

/** The document as text, or the text unchanged when yaml will not write it (an alias inside its own anchor). */
function writeBack(doc: ReturnType<typeof parseDocument>, text: string): string {
  try {
    return doc.toString({ lineWidth: 0 });
  } catch {
    return text;
  }
}

/**
 * An alias inside the node its anchor names (an infinite structure), as a sequence item, a
 * mapping value, or a `<<` merge of its own mapping: on a random collection of the first
 * document.
 */
function selfReference(how: 'item' | 'value' | 'merge'): Mutation {
  return (text, r) => {
    const doc = parseDocument(text, { version: '1.1', uniqueKeys: false });
    if (doc.errors.length) return text;
    const collections: Node[] = [];
    visit(doc, {
      Map(_, n) {
        collections.push(n as unknown as Node);
      },
      Seq(_, n) {
        collections.push(n as unknown as Node);
      },
    });
    const target = pick(collections, r) as unknown as { anchor?: string; items: unknown[] } | undefined;
    if (!target) return text;
    target.anchor = 'self';
    // yaml will not write an alias inside its own anchor: write a placeholder, then the alias.
    const placeholder = new Scalar('SELF_ALIAS_PLACEHOLDER');
    if (isSeq(target)) target.items.push(placeholder);
    else target.items.push(new Pair(new Scalar(how === 'merge' ? '<<' : 'again'), placeholder));
    return writeBack(doc, text).replace('SELF_ALIAS_PLACEHOLDER', '*self');
  };
}

const at = (text: string, r: () => number) => Math.floor(r() * (text.length + 1));
export const MUTATIONS: Record<string, Mutation> = {
  deleteKey: structural('delete'),
  duplicateKey: structural('duplicate'),
  retypeValue: structural('retype'),
  swapValues: structural('swap'),
  truncate: (t, r) => t.slice(0, at(t, r)),
  tab: (t, r) => {
    const i = at(t, r);
    return t.slice(0, i) + '\t' + t.slice(i);
  },
  unicode: (t, r) => {
    const i = at(t, r);
    return t.slice(0, i) + pick(['\u0000', '\u202e', '\uffff', '😀', '\u00a0', 'é', '\ud800', '\u2028'], r) + t.slice(i);
  },
  hugeNumber: (t) => t.replace(/: (\d+)\b/, ': 99999999999999999999999999999999'),
  deepNesting: (t, r) => {
    const depth = pick([30, 70, 300, 3000], r);
    return t + `\ndeep: ${'['.repeat(depth)}1${']'.repeat(depth)}\n`;
  },
  aliases: (t) => `${t}\n---\nx0: &a0 [k, k, k, k, k, k, k, k, k, k]\nx1: &a1 [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0]\nx2: &a2 [*a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1]\nx3: [*a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2]\n`,
  selfAlias: (t, r) => selfReference(pick(['item', 'value', 'merge'] as const, r))(t, r),
  // Two anchors that reach each other, and the two-line file of issue 13.
  aliasCycle: (t) => `${t}\n---\na: &a {b: &b {a: *a}}\nc: *b\n`,
  recursiveHeader: () => 'apiVersion: &a [*a]\nkind: Module\n',
  tag: (t) => t.replace(/: ([A-Za-z])/, ': !custom $1'),
  binaryJunk: (t, r) => {
    const i = at(t, r);
    return t.slice(0, i) + String.fromCharCode(...Array.from({ length: 8 }, () => Math.floor(r() * 256))) + t.slice(i);
  },
};
export const NAMES = Object.keys(MUTATIONS);

/** One to three mutations, each of a file (an index taken modulo the file count), seeded. */
export const mutationSteps = fc.array(fc.record({ file: fc.nat(), mutation: fc.constantFrom(...NAMES), rnd: fc.integer({ min: 1, max: 2 ** 31 - 1 }) }), { minLength: 1, maxLength: 3 });

/** The files with the steps applied (copies; the seed files are not changed) and a label. */
export function applyMutations(seedFiles: readonly InputFile[], steps: readonly { file: number; mutation: string; rnd: number }[]): { files: InputFile[]; label: string } {
  const files = seedFiles.map((f) => ({ ...f }));
  if (files.length === 0) return { files, label: 'none' };
  for (const s of steps) {
    const f = files[s.file % files.length]!;
    let state = s.rnd;
    const r = () => ((state = (state * 48271) % 2147483647) / 2147483647);
    f.text = MUTATIONS[s.mutation]!(f.text, r);
  }
  return { files, label: steps.map((s) => s.mutation).join('+') };
}

/** A mutated repository: a seed repo with 1–3 mutations applied to random files. */
export const mutatedRepo = fc.record({ seed: fc.nat({ max: SEEDS.length - 1 }), steps: mutationSteps }).map(({ seed, steps }) => {
  const { files, label } = applyMutations(SEEDS[seed]!, steps);
  return { files, seed, label: `${seed}:${label}` };
});
