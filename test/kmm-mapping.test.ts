import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resolveKernelMapping } from '../src/kmm/kernel-mapping.js';
import { mergeBuild, mergeBuildArgs, mergeSign } from '../src/kmm/merge-build-sign.js';
import { compileRe2 } from '../src/re2/re2-pattern.js';

const mappings = [
  { literal: '6.0.15-300.fc37.x86_64', containerImage: 'a' },
  { regexp: 'fc37\\.x86_64$', containerImage: 'b' },
  { regexp: '^.+$', containerImage: 'c' },
];

test('the first matching mapping wins', () => {
  assert.is(resolveKernelMapping(mappings, '6.0.15-300.fc37.x86_64')?.index, 0);
  assert.is(resolveKernelMapping(mappings, '6.0.18-300.fc37.x86_64')?.index, 1);
  assert.is(resolveKernelMapping(mappings, '5.14.0-1.el9.x86_64')?.index, 2);
});

test('a literal matches only the whole kernel string', () => {
  assert.is(resolveKernelMapping([{ literal: '6.0.15' }], '6.0.15-300.fc37.x86_64'), undefined);
});

test('regexp mappings match anywhere in the kernel string (unanchored, like Go)', () => {
  assert.is(resolveKernelMapping([{ regexp: 'el9_4' }], '5.14.0-427.13.1.el9_4.x86_64')?.index, 0);
  assert.is(resolveKernelMapping([{ regexp: '^el9_4' }], '5.14.0-427.13.1.el9_4.x86_64'), undefined);
});

test('no mapping matches: undefined', () => {
  assert.is(resolveKernelMapping([{ literal: 'x.y.z' }, { regexp: 'rt$' }], '5.14.0-1.el9.x86_64'), undefined);
});

test('regexps are RE2: lookarounds and backreferences are refused, Go syntax is accepted', () => {
  assert.ok('error' in compileRe2('(?=a)b'));
  assert.ok('error' in compileRe2('(a)\\1'));
  assert.ok(!('error' in compileRe2('(?P<name>x)\\pL')));
});

test('RE2 matching is linear: a pattern that backtracks exponentially in JavaScript ends', () => {
  // With a backtracking engine this call would not return in the lifetime of the run (2^5000
  // paths); no clock is needed to tell.
  const re = compileRe2('(a+)+$');
  if ('error' in re) throw new Error(re.error);
  assert.is(re.test('a'.repeat(5000) + 'b'), false);
  assert.is(re.test('a'.repeat(5000)), true);
});

test('build args merge by name: mapping wins, new names appended, sorted by name', () => {
  const merged = mergeBuildArgs(
    [
      { name: 'Z', value: 'c-z' },
      { name: 'A', value: 'c-a' },
    ],
    [
      { name: 'A', value: 'm-a' },
      { name: 'M', value: 'm-m' },
    ],
  );
  assert.equal(merged, [
    { name: 'A', value: 'm-a' },
    { name: 'M', value: 'm-m' },
    { name: 'Z', value: 'c-z' },
  ]);
});

test('build: one level alone is taken as is; both levels merge secrets and replace the ConfigMap', () => {
  const container = { dockerfileConfigMap: { name: 'c' }, secrets: [{ name: 's1' }], selector: { a: 'b' }, baseImageRegistryTLS: { insecure: true } };
  const mapping = { dockerfileConfigMap: { name: 'm' }, secrets: [{ name: 's2' }] };
  assert.equal(mergeBuild(undefined, mapping)?.dockerfileConfigMap, { name: 'm' });
  assert.equal(mergeBuild(container, undefined)?.secrets, [{ name: 's1' }]);
  const both = mergeBuild(container, mapping)!;
  assert.equal(both.dockerfileConfigMap, { name: 'm' });
  assert.equal(both.secrets, [{ name: 's1' }, { name: 's2' }]);
  assert.equal(both.selector, { a: 'b' }, 'selector comes from the container level');
  assert.equal(both.baseImageRegistryTLS, { insecure: true }, 'baseImageRegistryTLS comes from the container level');
  assert.equal(mergeBuild({ dockerfileConfigMap: { name: 'c' } }, { secrets: [] })!.dockerfileConfigMap, { name: 'c' });
});

test('sign: mapping values replace when set, filesToSign concatenate container first', () => {
  const container = { keySecret: { name: 'k1' }, certSecret: { name: 'c1' }, filesToSign: ['/a.ko'], unsignedImage: 'u1' };
  const mapping = { keySecret: { name: 'k2' }, filesToSign: ['/b.ko'] };
  assert.equal(mergeSign(container, undefined), container);
  assert.equal(mergeSign(undefined, mapping), mapping);
  assert.equal(mergeSign(container, mapping), { keySecret: { name: 'k2' }, certSecret: { name: 'c1' }, filesToSign: ['/a.ko', '/b.ko'], unsignedImage: 'u1' });
});


test('an anchored literal pattern (^name$) answers exactly as RE2 does', async () => {
  const { RE2JS } = await import('re2js');
  for (const pattern of ['^AVX3$', '^mod_12$', '^a-b$']) {
    const fast = compileRe2(pattern) as { test(s: string): boolean };
    const re2 = RE2JS.compile(pattern);
    for (const input of [pattern.slice(1, -1), `x${pattern.slice(1, -1)}`, `${pattern.slice(1, -1)}\n`, '', pattern]) {
      assert.is(fast.test(input), re2.matcher(input).find(), `${pattern} on ${JSON.stringify(input)}`);
    }
  }
});

test.run();
