/**
 * The fast canonical YAML writer (render/fast-canonical-yaml.ts) writes exactly what the
 * `yaml` package writes, or declines: on every object of every fixture and on generated
 * values full of the characters that change a scalar's style.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalize, toCanonicalYamlWithLibrary } from '../src/render/canonical-yaml.js';
import { writeCanonicalYamlFast } from '../src/render/fast-canonical-yaml.js';
import { compileSnapshot, snapshotOf } from './support/compile-fixture.js';
import { FIXTURES } from './support/paths.js';

test('every rendered object of every fixture: the fast writer gives the yaml package\'s bytes, and writes nearly all of them', () => {
  let objects = 0;
  let fast = 0;
  for (const name of readdirSync(FIXTURES).sort()) {
    const r = compileSnapshot(snapshotOf(join(FIXTURES, name, 'repo')));
    for (const c of r.clusters ?? []) {
      for (const o of c.objects) {
        const canonical = canonicalize(o.object);
        const written = writeCanonicalYamlFast(canonical);
        objects++;
        if (written === undefined) continue;
        fast++;
        assert.is(written, toCanonicalYamlWithLibrary(canonical), `${name}: ${o.kind} ${o.name}`);
      }
    }
  }
  assert.ok(objects > 50, `${objects} objects`);
  assert.ok(fast / objects > 0.95, `${fast} of ${objects} written by the fast writer`);
});

test('scalar styles the fast writer decides as yaml does: plain, quoted for YAML 1.1 types, literal blocks with indentation indicators', () => {
  const value = {
    a: '', b: 'yes', c: '-1', d: '0755', e: '1:20', f: '5.14.0-427.el9', g: 'x: y', h: ' lead', i: 'l1\nl2\n', j: ' a\nb', k: 'a #b', l: '~', m: 'on',
    list: [{ x: 'one\ntwo', z: [] }, {}, 'plain', 7, false], o: { '<<': 1 }, p: 'trailing ', q: 'a\n\nb', r: 'end:', s: '2026-12-01', t: '.inf',
  };
  for (const [k, v] of Object.entries(value)) {
    const one = { [k]: v };
    const written = writeCanonicalYamlFast(one);
    if (k === 'o') assert.is(written, undefined, 'a key yaml would quote: declined');
    else assert.is(written, toCanonicalYamlWithLibrary(one), k);
  }
});

const tame = fc.constantFrom('a', 'Z', '0', '1', '-', '.', ':', ' ', '#', '\n', '/', '_', 'y', 'x');
const tameText = fc.array(tame, { maxLength: 8 }).map((parts) => parts.join(''));
const tameValue = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, tameText, fc.integer(), fc.boolean(), tie('list'), tie('map')),
  list: fc.array(fc.oneof(tameText, tie('map')), { maxLength: 4 }),
  map: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9./-]{0,8}$/), tie('node'), { maxKeys: 4 }),
}));

/** Runs 3,000 generated maps through both writers; how many the fast writer wrote (each equal to yaml's). */
function compareOnGenerated(maps: fc.Arbitrary<Record<string, unknown>>, seed: number): number {
  let written = 0;
  fc.assert(
    fc.property(maps, (v) => {
      const canonical = canonicalize(v);
      const fast = writeCanonicalYamlFast(canonical);
      if (fast === undefined) return true;
      written++;
      return fast === toCanonicalYamlWithLibrary(canonical);
    }),
    { numRuns: 3000, seed },
  );
  return written;
}

test('generated values in the space kmm-render writes: the fast writer writes most of them, as yaml does', () => {
  const written = compareOnGenerated(fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9./-]{0,8}$/), tameValue.node, { minKeys: 1, maxKeys: 5 }), 23);
  assert.ok(written > 1500, `${written} of 3000 written fast`);
});

const tricky = fc.constantFrom('a', 'Z', '0', '1', '7', '-', '+', '.', ':', ' ', '#', '\n', '\t', "'", '"', '\\', '|', '>', '&', '*', '!', '%', '@', '`', ',', '[', ']', '{', '}', '?', '~', 'y', 'n', 'o', 'e', 'x', '_', '/', 'é', '\u0007', '---');
const text = fc.array(tricky, { maxLength: 8 }).map((parts) => parts.join(''));
const scalar = fc.oneof(text, fc.integer(), fc.boolean(), fc.double(), fc.constant(null));
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('node'), { maxLength: 4 }),
  map: fc.dictionary(text, tie('node'), { maxKeys: 4 }),
}));

test('generated values with every troublesome character: the fast writer gives the yaml package\'s bytes or declines', () => {
  const written = compareOnGenerated(fc.dictionary(text, value.node, { minKeys: 1, maxKeys: 5 }), 17);
  assert.ok(written > 50, `${written} of 3000 written fast: the comparison is not vacuous`);
});

test.run();
