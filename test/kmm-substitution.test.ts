import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { kernelVariables, trimKernelVersion } from '../src/kmm/kernel-variables.js';
import { substituteVariables } from '../src/kmm/substitution.js';

const KERNEL = '4.18.0-372.26.1.el8_6.x86_64';
const vars = { ...(kernelVariables(KERNEL) as { vars: Record<string, string> }).vars, MOD_NAME: 'simple-kmod', MOD_NAMESPACE: 'openshift-kmm', EMPTY: '' };


test('kernel variables split on dots, commas and dashes (SPEC §4.3)', () => {
  const kv = kernelVariables(KERNEL) as { vars: Record<string, string> };
  assert.equal(kv.vars, {
    KERNEL_FULL_VERSION: KERNEL,
    KERNEL_VERSION: KERNEL,
    KERNEL_XYZ: '4.18.0',
    KERNEL_X: '4',
    KERNEL_Y: '18',
    KERNEL_Z: '0',
  });
  assert.equal((kernelVariables('6,1,5-200') as { vars: Record<string, string> }).vars.KERNEL_XYZ, '6.1.5');
});

test('a kernel with fewer than three parts is an error', () => {
  assert.ok('error' in kernelVariables('5.14'));
  assert.ok('error' in kernelVariables('linux'));
});

test('a trailing + is trimmed from the kernel version, nothing else', () => {
  assert.is(trimKernelVersion('5.14.0-427.13.1.el9_4.x86_64+'), '5.14.0-427.13.1.el9_4.x86_64');
  assert.is(trimKernelVersion('5.14.0+rt'), '5.14.0+rt');
});

/** What KMM 1.1's envsubst (a8m/envsubst v1.4.2) gives; `npm run conformance` checks the same against Go. */
const table: { name: string; text: string; value: string; unknown?: string[]; error?: boolean }[] = [
  { name: 'plain text stays', text: 'quay.io/org/img:v1', value: 'quay.io/org/img:v1' },
  { name: '$VAR is replaced', text: 'img:$KERNEL_FULL_VERSION', value: `img:${KERNEL}` },
  { name: '${VAR} is replaced', text: 'img:${KERNEL_XYZ}-x', value: 'img:4.18.0-x' },
  { name: 'X, Y and Z are the first three parts', text: '$KERNEL_X.$KERNEL_Y.$KERNEL_Z', value: '4.18.0' },
  { name: 'module name and namespace are variables in images', text: '${MOD_NAMESPACE}/${MOD_NAME}', value: 'openshift-kmm/simple-kmod' },
  { name: '$$ is a literal dollar', text: 'a$$b', value: 'a$b' },
  { name: '$$VAR is the text $VAR', text: '$$KERNEL_X', value: '$KERNEL_X' },
  { name: 'a lone $ stays', text: 'a$ b$', value: 'a$ b$' },
  { name: '$ before a digit is a variable to envsubst (unset: empty)', text: 'a$1', value: 'a', unknown: ['1'] },
  { name: '$VAR stops at the first non-name character', text: '$KERNEL_X-y', value: '4-y' },
  { name: '$_ alone stays text', text: 'a$_-b', value: 'a$_-b' },
  { name: 'unknown $VAR becomes empty and is reported', text: 'img:$NOPE', value: 'img:', unknown: ['NOPE'] },
  { name: 'unknown ${VAR} becomes empty and is reported', text: 'img:${NOPE}:${NOPE}', value: 'img::', unknown: ['NOPE'] },
  { name: '${VAR:-d} uses the default when unset, silently', text: '${NOPE:-dflt}', value: 'dflt' },
  { name: '${VAR:-d} uses the default when empty', text: '${EMPTY:-dflt}', value: 'dflt' },
  { name: '${VAR:-d} keeps a set value', text: '${KERNEL_X:-dflt}', value: '4' },
  { name: '${VAR-d} uses the default only when unset', text: '${EMPTY-dflt}|${NOPE-dflt}', value: '|dflt' },
  { name: '${VAR=d} is ${VAR-d}', text: '${EMPTY=dflt}|${NOPE=dflt}|${KERNEL_X=dflt}', value: '|dflt|4' },
  { name: '${VAR:=d} is ${VAR:-d}', text: '${EMPTY:=dflt}|${NOPE:=dflt}|${KERNEL_X:=dflt}', value: 'dflt|dflt|4' },
  { name: '${VAR:+a} gives the alternative when set, even empty (unlike the shell)', text: '${KERNEL_X:+alt}|${EMPTY:+alt}|${NOPE:+alt}', value: 'alt|alt|' },
  { name: '${VAR+a} gives the alternative when set, even empty', text: '${EMPTY+alt}|${NOPE+alt}', value: 'alt|' },
  { name: '${VAR:-} with nothing after the operator is VAR', text: '${KERNEL_X:-}|${KERNEL_X:+}', value: '4|4' },
  { name: 'a default that is one $VAR is expanded', text: '${NOPE:-$KERNEL_X}', value: '4' },
  { name: 'a default with text is taken as text, $ and all', text: '${NOPE:-v$KERNEL_X}', value: 'v$KERNEL_X' },
  { name: '${} stays as written', text: 'a${}b', value: 'a${}b' },
  { name: 'an unclosed ${ is an error', text: 'img:${KERNEL_X', value: '', error: true },
  { name: 'a line break inside ${ is an error', text: '${KERNEL_X\n}', value: '', error: true },
  { name: 'after an unknown operator the rest is ignored text', text: '${KERNEL X}', value: '', unknown: ['KERNEL'] },
];

for (const c of table) {
  test(`substitution: ${c.name}`, () => {
    const r = substituteVariables(c.text, vars);
    assert.is(r.value, c.value);
    assert.equal([...r.unknown], c.unknown ?? []);
    assert.is(r.error !== undefined, c.error ?? false);
  });
}

test('a text on which KMM\'s envsubst never finishes is refused, and the error says so', () => {
  // Both texts make a8m/envsubst v1.4.2 spin for ever (found by conformance/kmm).
  for (const text of ['${A${_: ', '_${$$${_}']) {
    const r = substituteVariables(text, vars);
    assert.match(r.error ?? '', /never finishes/);
  }
});

test.run();
