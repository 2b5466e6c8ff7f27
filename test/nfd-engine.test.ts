/**
 * The NodeFeatureRule engine, table-driven from SPEC §3: every op against flag, attribute
 * and instance features (present, missing, wrong type), the errors of §3.4, matchName,
 * mixed-type features, matchAny, templates, chaining, @ values and nfd-master's filtering.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { executeRule, RuleError, type NfdRule } from '../src/nfd/execute-rule.js';
import { evaluateNodeFeatureRules } from '../src/nfd/evaluate-rules.js';
import { mergeFeatures, emptyFeatureSet, type NodeFeatureSet } from '../src/nfd/features.js';
import type { MatchExpression } from '../src/nfd/match-expression.js';
import type { NfdSettings } from '../src/model/fleet-model.js';

function features(): NodeFeatureSet {
  const f = emptyFeatureSet();
  mergeFeatures(f, {
    flags: {
      'cpu.cpuid': { elements: { AVX: {}, AVX2: {}, SSE4: {} } },
      'kernel.loadedmodule': { elements: { veth: {}, i915: {} } },
      'mix.feat': { elements: { flagonly: {}, both: {} } },
      'fa.feat': { elements: { f1: {} } },
    },
    attributes: {
      'kernel.version': { elements: { full: '5.14.0-427.13.1.el9_4.x86_64', major: '5', minor: '14', revision: '0' } },
      'kernel.config': { elements: { NO_HZ: 'y', PREEMPT: 'n' } },
      'system.osrelease': { elements: { ID: 'rhcos', VERSION_ID: '4.16', 'VERSION_ID.major': '4', 'VERSION_ID.minor': '16' } },
      'cpu.model': { elements: { vendor_id: 'Intel', family: '6', model: '143', padded: '007', neg: '-3' } },
      'my.bool': { elements: { yes: 'true', no: 'false', other: 'TRUE' } },
      'my.versions': { elements: { ubuntu: '22.04', two: '2', pre: '1.2.3-rc1', build: '1.2.3+build5', word: 'latest' } },
      'mix.feat': { elements: { attronly: '7', both: '3' } },
      'empty.attrs': { elements: {} },
      'fa.feat': { elements: { a1: '1' } },
    },
    instances: {
      'pci.device': {
        elements: [
          { attributes: { class: '0300', vendor: '8086', device: '56c0' } },
          { attributes: { class: '0200', vendor: '8086', device: '1572' } },
          { attributes: { class: '0302', vendor: '10de', device: '20b0', sriov_totalvfs: '16' } },
        ],
      },
      'mix.feat': { elements: [{ attributes: { inst: 'x', count: '4', flagonly: '1' } }] },
      'usb.device': { elements: [] },
    },
  });
  return f;
}

const F = features();

function term(feature: string, key: string, e: MatchExpression): NfdRule {
  return { name: 't', labels: { hit: 'yes' }, matchFeatures: [{ feature, matchExpressions: { [key]: e } }] };
}

function outcome(rule: NfdRule, f = F): boolean | 'error' {
  try {
    return executeRule(rule, f).matched;
  } catch (e) {
    if (e instanceof RuleError) return 'error';
    throw e;
  }
}

// [description, feature, key, expression, expected]
const EXPRESSIONS: [string, string, string, MatchExpression, boolean | 'error'][] = [
  // In / NotIn on attributes
  ['In matches an equal attribute value', 'kernel.version', 'major', { op: 'In', value: ['4', '5'] }, true],
  ['In does not match another value', 'kernel.version', 'major', { op: 'In', value: ['4'] }, false],
  ['In is exact string equality', 'cpu.model', 'padded', { op: 'In', value: ['7'] }, false],
  ['In on a missing attribute does not match', 'kernel.version', 'nope', { op: 'In', value: ['5'] }, false],
  ['In with no value on a present attribute is an error', 'kernel.version', 'major', { op: 'In', value: [] }, 'error'],
  ['In with no value on a missing attribute is not evaluated', 'kernel.version', 'nope', { op: 'In', value: [] }, false],
  ['NotIn matches a different value', 'kernel.version', 'major', { op: 'NotIn', value: ['4'] }, true],
  ['NotIn does not match a listed value', 'kernel.version', 'major', { op: 'NotIn', value: ['5'] }, false],
  ['NotIn on a missing attribute does not match', 'kernel.version', 'nope', { op: 'NotIn', value: ['5'] }, false],
  ['NotIn with no value is an error', 'kernel.version', 'major', { op: 'NotIn' }, 'error'],
  // InRegexp
  ['InRegexp is unanchored', 'kernel.version', 'full', { op: 'InRegexp', value: ['el9_4'] }, true],
  ['InRegexp honours anchors', 'kernel.version', 'full', { op: 'InRegexp', value: ['^el9'] }, false],
  ['InRegexp matches any of several patterns', 'system.osrelease', 'ID', { op: 'InRegexp', value: ['^ubuntu$', '^rh'] }, true],
  ['InRegexp uses RE2: a lookahead is an error', 'system.osrelease', 'ID', { op: 'InRegexp', value: ['(?=rh)'] }, 'error'],
  ['InRegexp with no value is an error', 'system.osrelease', 'ID', { op: 'InRegexp', value: [] }, 'error'],
  ['InRegexp on a missing attribute does not match', 'system.osrelease', 'NAME', { op: 'InRegexp', value: ['.*'] }, false],
  ['InRegexp supports RE2 classes', 'cpu.model', 'vendor_id', { op: 'InRegexp', value: ['^\\p{Lu}\\w+$'] }, true],
  // Exists / DoesNotExist
  ['Exists on a present attribute', 'kernel.config', 'NO_HZ', { op: 'Exists' }, true],
  ['Exists on a missing attribute', 'kernel.config', 'KASAN', { op: 'Exists' }, false],
  ['Exists with a value is an error', 'kernel.config', 'NO_HZ', { op: 'Exists', value: ['y'] }, 'error'],
  ['Exists with a value is an error even when missing', 'kernel.config', 'KASAN', { op: 'Exists', value: ['y'] }, 'error'],
  ['DoesNotExist on a missing attribute', 'kernel.config', 'KASAN', { op: 'DoesNotExist' }, true],
  ['DoesNotExist on a present attribute', 'kernel.config', 'NO_HZ', { op: 'DoesNotExist' }, false],
  ['DoesNotExist with a value is an error', 'kernel.config', 'KASAN', { op: 'DoesNotExist', value: ['x'] }, 'error'],
  // flags
  ['Exists on a present flag', 'cpu.cpuid', 'AVX2', { op: 'Exists' }, true],
  ['Exists on a missing flag', 'cpu.cpuid', 'AVX512F', { op: 'Exists' }, false],
  ['DoesNotExist on a missing flag', 'cpu.cpuid', 'AVX512F', { op: 'DoesNotExist' }, true],
  ['DoesNotExist on a present flag', 'cpu.cpuid', 'AVX', { op: 'DoesNotExist' }, false],
  ['In never matches a flag (flags have no value)', 'cpu.cpuid', 'AVX', { op: 'In', value: ['AVX'] }, false],
  ['In with no value on a flag is not an error', 'cpu.cpuid', 'AVX', { op: 'In', value: [] }, false],
  ['Gt never matches a flag', 'cpu.cpuid', 'AVX', { op: 'Gt', value: ['1'] }, false],
  ['IsTrue never matches a flag', 'cpu.cpuid', 'AVX', { op: 'IsTrue' }, false],
  ['an unknown op on a flag is an error', 'cpu.cpuid', 'AVX', { op: 'Present' }, 'error'],
  // integers
  ['Gt compares integers', 'cpu.model', 'family', { op: 'Gt', value: ['5'] }, true],
  ['Gt is strict', 'cpu.model', 'family', { op: 'Gt', value: ['6'] }, false],
  ['Ge includes equality', 'cpu.model', 'family', { op: 'Ge', value: ['6'] }, true],
  ['Lt compares integers, not strings', 'cpu.model', 'model', { op: 'Lt', value: ['1000'] }, true],
  ['Le includes equality', 'cpu.model', 'model', { op: 'Le', value: ['143'] }, true],
  ['Lt is strict', 'cpu.model', 'model', { op: 'Lt', value: ['143'] }, false],
  ['leading zeros are decimal', 'cpu.model', 'padded', { op: 'Gt', value: ['6'] }, true],
  ['a sign is allowed', 'cpu.model', 'neg', { op: 'Lt', value: ['-2'] }, true],
  ['a plus sign is allowed in the expression', 'cpu.model', 'family', { op: 'Gt', value: ['+5'] }, true],
  ['Gt with two values is an error', 'cpu.model', 'family', { op: 'Gt', value: ['1', '2'] }, 'error'],
  ['Ge with no value is an error', 'cpu.model', 'family', { op: 'Ge', value: [] }, 'error'],
  ['Gt on a non-integer attribute is an error', 'kernel.version', 'full', { op: 'Gt', value: ['1'] }, 'error'],
  ['Gt with "1.0" is an error', 'cpu.model', 'family', { op: 'Gt', value: ['1.0'] }, 'error'],
  ['Gt with "0x1" is an error', 'cpu.model', 'family', { op: 'Gt', value: ['0x1'] }, 'error'],
  ['Gt with "" is an error', 'cpu.model', 'family', { op: 'Gt', value: [''] }, 'error'],
  ['Gt on a missing attribute does not match and does not error', 'cpu.model', 'stepping', { op: 'Gt', value: ['x'] }, false],
  ['GtLt is exclusive', 'cpu.model', 'family', { op: 'GtLt', value: ['5', '7'] }, true],
  ['GtLt excludes the bounds', 'cpu.model', 'family', { op: 'GtLt', value: ['6', '7'] }, false],
  ['GeLe includes the bounds', 'cpu.model', 'family', { op: 'GeLe', value: ['6', '6'] }, 'error'],
  ['GeLe includes the lower bound', 'cpu.model', 'family', { op: 'GeLe', value: ['6', '7'] }, true],
  ['GeLe includes the upper bound', 'cpu.model', 'family', { op: 'GeLe', value: ['5', '6'] }, true],
  ['GtLt needs value[0] < value[1]', 'cpu.model', 'family', { op: 'GtLt', value: ['7', '5'] }, 'error'],
  ['GtLt with one value is an error', 'cpu.model', 'family', { op: 'GtLt', value: ['5'] }, 'error'],
  ['GtLt with three values is an error', 'cpu.model', 'family', { op: 'GtLt', value: ['1', '5', '9'] }, 'error'],
  // versions
  ['type version compares semantically', 'my.versions', 'ubuntu', { op: 'Gt', value: ['20.10'], type: 'version' }, true],
  ['"22.04" is 22.4.0', 'my.versions', 'ubuntu', { op: 'GeLe', value: ['22.4', '22.4.0'], type: 'version' }, true],
  ['"2" is 2.0.0', 'my.versions', 'two', { op: 'Ge', value: ['2.0.0'], type: 'version' }, true],
  ['a pre-release is dropped', 'my.versions', 'pre', { op: 'Ge', value: ['1.2.3'], type: 'version' }, true],
  ['build metadata is ignored', 'my.versions', 'build', { op: 'Le', value: ['1.2.3'], type: 'version' }, true],
  ['a non-version value is an error', 'my.versions', 'word', { op: 'Gt', value: ['1'], type: 'version' }, 'error'],
  ['a non-version in the expression is an error', 'my.versions', 'two', { op: 'Gt', value: ['one'], type: 'version' }, 'error'],
  ['versions compare numerically, not as strings', 'system.osrelease', 'VERSION_ID', { op: 'Gt', value: ['4.9'], type: 'version' }, true],
  ['an unknown type is an error', 'cpu.model', 'family', { op: 'Gt', value: ['1'], type: 'float' }, 'error'],
  ['GtLt with versions', 'kernel.version', 'major', { op: 'GtLt', value: ['4.18', '6'], type: 'version' }, true],
  // nfd-master reads versions with Masterminds/semver's NewVersion: a kernel's full version is none
  ['a kernel full version is not a version to nfd-master (its "_")', 'kernel.version', 'full', { op: 'Gt', value: ['5.0'], type: 'version' }, 'error'],
  ['a numeric pre-release part with a leading zero is not a version', 'my.versions', 'two', { op: 'Gt', value: ['1.0.0-01'], type: 'version' }, 'error'],
  ['an empty pre-release is not a version', 'my.versions', 'two', { op: 'Gt', value: ['1.0-'], type: 'version' }, 'error'],
  ['an integer beyond int64 is an error (Go\'s Atoi)', 'cpu.model', 'family', { op: 'Lt', value: ['9223372036854775808'] }, 'error'],
  ['InRegexp compiles every pattern first: an invalid one fails even after a match', 'system.osrelease', 'ID', { op: 'InRegexp', value: ['^rh', '('] }, 'error'],
  ['InRegexp with an invalid pattern on a missing element is not evaluated', 'system.osrelease', 'NAME', { op: 'InRegexp', value: ['('] }, false],
  // booleans
  ['IsTrue matches "true"', 'my.bool', 'yes', { op: 'IsTrue' }, true],
  ['IsTrue does not match "false"', 'my.bool', 'no', { op: 'IsTrue' }, false],
  ['IsTrue is case-sensitive', 'my.bool', 'other', { op: 'IsTrue' }, false],
  ['IsFalse matches "false"', 'my.bool', 'no', { op: 'IsFalse' }, true],
  ['IsTrue with a value is an error', 'my.bool', 'yes', { op: 'IsTrue', value: ['true'] }, 'error'],
  ['IsFalse with a value is an error', 'my.bool', 'no', { op: 'IsFalse', value: ['x'] }, 'error'],
  ['IsTrue on a missing attribute does not match', 'my.bool', 'maybe', { op: 'IsTrue' }, false],
  // unknown ops
  ['an unknown op is an error', 'kernel.version', 'major', { op: 'Equals', value: ['5'] }, 'error'],
  ['an unknown op is an error even on a missing key', 'kernel.version', 'nope', { op: 'Equals', value: ['5'] }, 'error'],
  ['op names are case-sensitive', 'kernel.version', 'major', { op: 'in', value: ['5'] }, 'error'],
  // instances
  ['In on instances matches when some instance matches', 'pci.device', 'vendor', { op: 'In', value: ['10de'] }, true],
  ['In on instances fails when none matches', 'pci.device', 'vendor', { op: 'In', value: ['1002'] }, false],
  ['Exists on an attribute only some instances have', 'pci.device', 'sriov_totalvfs', { op: 'Exists' }, true],
  ['DoesNotExist on instances matches an instance without it', 'pci.device', 'sriov_totalvfs', { op: 'DoesNotExist' }, true],
  ['Gt on instance attributes', 'pci.device', 'sriov_totalvfs', { op: 'Gt', value: ['8'] }, true],
  ['an error in an instance expression fails the rule', 'pci.device', 'class', { op: 'Gt', value: ['x'] }, 'error'],
  ['an unknown op on instances is an error', 'pci.device', 'class', { op: 'Like', value: ['03'] }, 'error'],
  ['InRegexp on instances', 'pci.device', 'class', { op: 'InRegexp', value: ['^03'] }, true],
  ['an instance feature with no instances never matches', 'usb.device', 'vendor', { op: 'Exists' }, false],
  // missing features and case
  ['a missing feature makes the term false without error', 'gpu.magic', 'x', { op: 'Gt', value: ['nonsense'] }, false],
  ['feature names are looked up case-insensitively', 'Kernel.Version', 'major', { op: 'In', value: ['5'] }, true],
  ['keys are case-sensitive', 'kernel.version', 'Major', { op: 'Exists' }, false],
  // mixed-type features: flags and attributes form one pool, instances separately
  ['a key found only as a flag of a mixed feature', 'mix.feat', 'flagonly', { op: 'Exists' }, true],
  ['a key found only as an attribute of a mixed feature', 'mix.feat', 'attronly', { op: 'In', value: ['7'] }, true],
  ['a value op on a mixed key passes on the attribute side', 'mix.feat', 'both', { op: 'Gt', value: ['2'] }, true],
  ['DoesNotExist on a mixed feature must hold on every type present', 'mix.feat', 'flagonly', { op: 'DoesNotExist' }, false],
  ['DoesNotExist on a mixed feature holds when absent everywhere', 'mix.feat', 'ghost', { op: 'DoesNotExist' }, true],
  ['a mixed feature also matches on its instances', 'mix.feat', 'inst', { op: 'In', value: ['x'] }, true],
  ['DoesNotExist fails on the pool but an instance without the key still matches', 'mix.feat', 'both', { op: 'DoesNotExist' }, true],
  ['a mixed feature instance value op', 'mix.feat', 'count', { op: 'Lt', value: ['5'] }, true],
];

for (const [name, feature, key, expr, expected] of EXPRESSIONS) {
  test(`expression: ${name}`, () => assert.is(outcome(term(feature, key, expr)), expected));
}

// matchName, on each feature type
const NAMES: [string, string, MatchExpression, boolean | 'error', string[]?][] = [
  ['matchName InRegexp on flags', 'cpu.cpuid', { op: 'InRegexp', value: ['^AVX'] }, true, ['AVX', 'AVX2']],
  ['matchName In on flags', 'kernel.loadedmodule', { op: 'In', value: ['i915'] }, true, ['i915']],
  ['matchName on flags without a hit', 'kernel.loadedmodule', { op: 'In', value: ['nvidia'] }, false],
  ['matchName on attribute names', 'kernel.config', { op: 'InRegexp', value: ['^NO_'] }, true, ['NO_HZ']],
  ['matchName on instance attribute names gives whole instances', 'pci.device', { op: 'In', value: ['sriov_totalvfs'] }, true],
  ['matchName Exists matches every name', 'kernel.loadedmodule', { op: 'Exists' }, true, ['i915', 'veth']],
  ['matchName with an unknown op is an error', 'cpu.cpuid', { op: 'Matches', value: ['x'] }, 'error'],
  ['matchName Gt on non-integer names is an error', 'cpu.cpuid', { op: 'Gt', value: ['1'] }, 'error'],
  ['matchName over a flag+attribute feature sees both kinds of names', 'fa.feat', { op: 'In', value: ['f1', 'a1'] }, true, ['a1', 'f1']],
  ['matchName over a mixed feature also gives instances with a matching attribute name', 'mix.feat', { op: 'In', value: ['count'] }, true],
  ['matchName over instances asks every attribute name, as nfd-master does: an invalid pattern is reached', 'pci.device', { op: 'InRegexp', value: ['^class$', '('] }, 'error'],
  ['matchName with ^literal$ patterns over flags (looked up, not scanned)', 'cpu.cpuid', { op: 'InRegexp', value: ['^AVX2$', '^NOPE$'] }, true, ['AVX2']],
  ['matchName with ^literal$ patterns over attributes', 'kernel.config', { op: 'InRegexp', value: ['^NO_HZ$'] }, true, ['NO_HZ']],
  ['matchName with ^literal$ patterns over instance attribute names', 'pci.device', { op: 'InRegexp', value: ['^sriov_totalvfs$'] }, true],
  ['matchName with ^literal$ patterns that name nothing', 'cpu.cpuid', { op: 'InRegexp', value: ['^AVX3$'] }, false],
];
for (const [name, feature, expr, expected, elements] of NAMES) {
  test(name, () => {
    const rule: NfdRule = { name: 'n', labels: { hit: 'yes' }, matchFeatures: [{ feature, matchName: expr }] };
    assert.is(outcome(rule), expected);
    if (elements) {
      const r = executeRule({ name: 'n', labelsTemplate: `{{range .${feature}}}{{.Name}}=\n{{end}}`, matchFeatures: [{ feature, matchName: expr }] }, F);
      assert.equal(Object.keys(r.labels).sort(), elements);
    }
  });
}

test('a term with neither matchExpressions nor matchName matches when the feature exists', () => {
  assert.is(outcome({ name: 'x', matchFeatures: [{ feature: 'cpu.cpuid' }] }), true);
  assert.is(outcome({ name: 'x', matchFeatures: [{ feature: 'no.such' }] }), false);
});

test('an empty expression map matches an existing flag or attribute feature, even one with no elements', () => {
  assert.is(outcome({ name: 'x', matchFeatures: [{ feature: 'empty.attrs', matchExpressions: {} }] }), true);
  assert.is(outcome({ name: 'x', matchFeatures: [{ feature: 'cpu.cpuid', matchExpressions: {} }] }), true);
});

test('an empty expression map on an instance feature needs an instance and yields them all', () => {
  assert.is(outcome({ name: 'x', matchFeatures: [{ feature: 'usb.device', matchExpressions: {} }] }), false);
  const r = executeRule({ name: 'x', labelsTemplate: '{{range .pci.device}}{{.device}}=1\n{{end}}', matchFeatures: [{ feature: 'pci.device', matchExpressions: {} }] }, F);
  assert.equal(Object.keys(r.labels).sort(), ['1572', '20b0', '56c0']);
});

test('with matchExpressions and matchName both must match, and their elements are concatenated', () => {
  const rule: NfdRule = {
    name: 'both',
    labelsTemplate: '{{range .cpu.cpuid}}{{.Name}}=x\n{{end}}',
    matchFeatures: [{ feature: 'cpu.cpuid', matchExpressions: { SSE4: { op: 'Exists' } }, matchName: { op: 'InRegexp', value: ['^AVX2$'] } }],
  };
  assert.equal(Object.keys(executeRule(rule, F).labels).sort(), ['AVX2', 'SSE4']);
  assert.is(outcome({ ...rule, matchFeatures: [{ feature: 'cpu.cpuid', matchExpressions: { SSE4: { op: 'Exists' } }, matchName: { op: 'In', value: ['none'] } }] }), false);
});

test('every term of matchFeatures must match (AND)', () => {
  const t1 = { feature: 'kernel.loadedmodule', matchExpressions: { veth: { op: 'Exists' } } };
  const t2 = { feature: 'pci.device', matchExpressions: { vendor: { op: 'In', value: ['8086'] } } };
  const t3 = { feature: 'pci.device', matchExpressions: { vendor: { op: 'In', value: ['1002'] } } };
  assert.is(outcome({ name: 'and', labels: { a: 'b' }, matchFeatures: [t1, t2] }), true);
  assert.is(outcome({ name: 'and', labels: { a: 'b' }, matchFeatures: [t1, t3] }), false);
});

test('instance expressions must all hold on the same instance', () => {
  const e = (cls: string, vendor: string) => outcome({ name: 'i', matchFeatures: [{ feature: 'pci.device', matchExpressions: { class: { op: 'In', value: [cls] }, vendor: { op: 'In', value: [vendor] } } }] });
  assert.is(e('0300', '8086'), true);
  assert.is(e('0302', '8086'), false, 'class of one instance, vendor of another');
  assert.is(e('0302', '10de'), true);
});

test('several terms on one feature concatenate their elements for the template', () => {
  const r = executeRule(
    {
      name: 'cat',
      labelsTemplate: '{{range .kernel.loadedmodule}}{{.Name}}=1\n{{end}}',
      matchFeatures: [
        { feature: 'kernel.loadedmodule', matchExpressions: { veth: { op: 'Exists' } } },
        { feature: 'kernel.loadedmodule', matchExpressions: { i915: { op: 'Exists' } } },
      ],
    },
    F,
  );
  assert.equal(Object.keys(r.labels), ['veth', 'i915']);
});

test('a rule without matchers always matches, even with no features at all', () => {
  assert.is(outcome({ name: 'always', labels: { a: 'b' } }, emptyFeatureSet()), true);
});

test('matchAny: any element matching is enough', () => {
  const rule: NfdRule = {
    name: 'any',
    labels: { gpu: 'true' },
    matchAny: [
      { matchFeatures: [{ feature: 'pci.device', matchExpressions: { vendor: { op: 'In', value: ['1002'] } } }] },
      { matchFeatures: [{ feature: 'pci.device', matchExpressions: { vendor: { op: 'In', value: ['10de'] } } }] },
    ],
  };
  assert.is(outcome(rule), true);
  assert.is(outcome({ ...rule, matchAny: [rule.matchAny![0]!] }), false);
});

test('matchAny and matchFeatures must both match', () => {
  const any = [{ matchFeatures: [{ feature: 'cpu.cpuid', matchExpressions: { AVX: { op: 'Exists' } } }] }];
  assert.is(outcome({ name: 'x', labels: { a: 'b' }, matchAny: any, matchFeatures: [{ feature: 'no.such' }] }), false);
  assert.is(outcome({ name: 'x', labels: { a: 'b' }, matchAny: any, matchFeatures: [{ feature: 'cpu.cpuid' }] }), true);
});

test('matchAny without templates stops at the first match: a later erroring element is not evaluated', () => {
  const rule: NfdRule = {
    name: 'first',
    labels: { a: 'b' },
    matchAny: [
      { matchFeatures: [{ feature: 'cpu.cpuid', matchExpressions: { AVX: { op: 'Exists' } } }] },
      { matchFeatures: [{ feature: 'cpu.cpuid', matchExpressions: { AVX: { op: 'Bogus' } } }] },
    ],
  };
  assert.is(outcome(rule), true);
});

test('matchAny with templates evaluates every element; an error in one fails the rule', () => {
  const rule: NfdRule = {
    name: 'all',
    labelsTemplate: '{{range .cpu.cpuid}}{{.Name}}=1{{end}}',
    matchAny: [
      { matchFeatures: [{ feature: 'cpu.cpuid', matchExpressions: { AVX: { op: 'Exists' } } }] },
      { matchFeatures: [{ feature: 'cpu.cpuid', matchExpressions: { AVX: { op: 'Bogus' } } }] },
    ],
  };
  assert.is(outcome(rule), 'error');
});

test('matchAny with templates expands the template once per matching element', () => {
  const r = executeRule(
    {
      name: 'per-element',
      labelsTemplate: '{{range .pci.device}}vendor-{{.vendor}}=present\n{{end}}',
      matchAny: [
        { matchFeatures: [{ feature: 'pci.device', matchExpressions: { class: { op: 'In', value: ['0300'] } } }] },
        { matchFeatures: [{ feature: 'pci.device', matchExpressions: { class: { op: 'In', value: ['0302'] } } }] },
        { matchFeatures: [{ feature: 'pci.device', matchExpressions: { class: { op: 'In', value: ['ffff'] } } }] },
      ],
    },
    F,
  );
  assert.equal(r.labels, { 'vendor-8086': 'present', 'vendor-10de': 'present' });
});

// Templates (SPEC §3.5)
const tpl = (labelsTemplate: string, terms = [{ feature: 'cpu.cpuid', matchName: { op: 'InRegexp', value: ['^AVX'] } }]) => {
  try {
    return executeRule({ name: 'tpl', labelsTemplate, matchFeatures: terms }, F).labels;
  } catch (e) {
    if (e instanceof RuleError) return 'error';
    throw e;
  }
};
const TEMPLATES: [string, string, Record<string, string> | 'error', unknown[]?][] = [
  ['range over flag elements with .Name', '{{range .cpu.cpuid}}cpu-{{.Name}}=true\n{{end}}', { 'cpu-AVX': 'true', 'cpu-AVX2': 'true' }],
  ['attribute elements have Name and Value, sorted by Name', '{{range .kernel.version}}{{.Name}}={{.Value}}\n{{end}}', { major: '5', minor: '14' }, [{ feature: 'kernel.version', matchExpressions: { minor: { op: 'Exists' }, major: { op: 'Exists' } } }]],
  ['instance elements are attribute maps', '{{range .pci.device}}pci-{{.vendor}}-{{.device}}=1\n{{end}}', { 'pci-8086-56c0': '1' }, [{ feature: 'pci.device', matchExpressions: { class: { op: 'In', value: ['0300'] } } }]],
  ['index with a quoted attribute name', '{{range .pci.device}}{{index . "vendor"}}=x{{end}}', { '10de': 'x' }, [{ feature: 'pci.device', matchExpressions: { class: { op: 'In', value: ['0302'] } } }]],
  ['index into the element list, then a field', 'dev={{ (index .pci.device 0).device }}', { dev: '56c0' }, [{ feature: 'pci.device', matchExpressions: { vendor: { op: 'In', value: ['8086'] } } }]],
  ['len of a list', 'count={{len .cpu.cpuid}}', { count: '2' }],
  ['if with gt', '{{if gt (len .cpu.cpuid) 1}}many=true{{else}}many=false{{end}}', { many: 'true' }],
  ['if/else if/else', '{{if eq (len .cpu.cpuid) 5}}n=five{{else if eq (len .cpu.cpuid) 2}}n=two{{else}}n=other{{end}}', { n: 'two' }],
  ['eq with several candidates', '{{range .cpu.cpuid}}{{if eq .Name "X" "AVX2"}}{{.Name}}=hit{{end}}{{end}}', { AVX2: 'hit' }],
  ['lt and ne', '{{if lt 1 2}}{{if ne "a" "b"}}ok=1{{end}}{{end}}', { ok: '1' }],
  ['pipelines pass the value as the last argument', '{{range .cpu.cpuid}}{{.Name | lower}}=1\n{{end}}', { avx: '1', avx2: '1' }],
  ['sprig upper and trim', 'k={{ "  vEnDoR  " | trim | upper }}', { k: 'VENDOR' }],
  ['sprig quote and squote (as nfd-master v0.18 has Sprig)', '{{range .cpu.cpuid}}{{quote .Name}}={{squote .Name}}\n{{end}}', { '"AVX"': "'AVX'", '"AVX2"': "'AVX2'" }],
  ['sprig replace and substr', 'k={{ replace "." "-" "4.16" }}\nj={{ substr 0 3 "abcdef" }}', { k: '4-16', j: 'abc' }],
  ['sprig first', 'first={{ (first .cpu.cpuid).Name }}', { first: 'AVX' }],
  ['whitespace trimming markers', '{{- range .cpu.cpuid }}\n  {{ .Name }}=y\n{{- end }}', { AVX: 'y', AVX2: 'y' }],
  ['comments are ignored', '{{/* a comment */}}a=b', { a: 'b' }],
  ['variables and range with index', '{{range $i, $e := .cpu.cpuid}}f{{$i}}={{$e.Name}}\n{{end}}', { f0: 'AVX', f1: 'AVX2' }],
  ['with sets dot', '{{with .cpu.cpuid}}n={{len .}}{{end}}', { n: '2' }],
  ['= inside range changes the variable declared outside it (Go 1.11+)', '{{$last := "none"}}{{range .cpu.cpuid}}{{$last = .Name}}{{end}}last={{$last}}', { last: 'AVX2' }],
  ['a variable declared in an if pipeline is visible in both branches', '{{if $c := len .cpu.cpuid}}n={{$c}}{{else}}n=0{{$c}}{{end}}', { n: '2' }],
  ['a variable declared inside range is gone after its end', '{{range .cpu.cpuid}}{{$x := 1}}{{end}}a={{$x}}', 'error'],
  ['= on a variable never declared is an error', '{{$nope = 1}}a=b', 'error'],
  ['range else runs on an empty list', '{{range .kernel.version}}x=y{{else}}none=true{{end}}', { none: 'true' }, [{ feature: 'kernel.version' }]],
  ['output lines are trimmed and blank lines skipped', '\n   a = b  \n\n c=d \n', { 'a ': ' b', c: 'd' }],
  ['a line is split at the first =', 'url=a=b=c', { url: 'a=b=c' }],
  ['the last duplicate wins', 'a=1\na=2', { a: '2' }],
  ['an empty value stays empty (no true default)', 'a=', { a: '' }],
  ['a line without = is an error', 'just-a-key', 'error'],
  ['an unknown function is an error', '{{ frobnicate .cpu }}', 'error'],
  ['a missing key is an error', '{{ .cpu.nosuch }}', 'error'],
  ['a missing field on an element is an error', '{{range .cpu.cpuid}}{{.Value}}=1{{end}}', 'error'],
  ['an unclosed action is an error', 'a={{ .cpu', 'error'],
  ['if without end is an error', '{{if true}}a=b', 'error'],
  ['define is not supported', '{{define "x"}}a=b{{end}}', 'error'],
  ['prototype properties are not reachable', '{{ .constructor }}', 'error'],
  ['__proto__ is not reachable', 'x={{ .__proto__ }}', 'error'],
  ['Go truthiness: an empty string is false', '{{if ""}}a=yes{{else}}a=no{{end}}', { a: 'no' }],
  ['printf', 'k={{ printf "%s-%d" "a" 3 }}', { k: 'a-3' }],
  ['and/or/not', '{{if and true (not false)}}a=1{{end}}{{if or false ""}}b=1{{end}}', { a: '1' }],
  ['the template key keeps the rule spelling of the feature', '{{range .CPU.CPUID}}{{.Name}}=1\n{{end}}', { AVX: '1', AVX2: '1' }, [{ feature: 'CPU.CPUID', matchName: { op: 'InRegexp', value: ['^AVX'] } }]],
  ['DoesNotExist contributes {Name} for flags and {Name, Value: ""} for attributes', '{{range .fa.feat}}{{.Name}}-{{if index . "Value"}}attr{{else}}flag{{end}}=1\nn{{len $.fa.feat}}=x\n{{end}}', { 'ghost-flag': '1', n2: 'x' }, [{ feature: 'fa.feat', matchExpressions: { ghost: { op: 'DoesNotExist' } } }]],
  ['DoesNotExist on attributes gives an empty Value', '{{range .kernel.config}}{{.Name}}=[{{.Value}}]\n{{end}}', { KASAN: '[]' }, [{ feature: 'kernel.config', matchExpressions: { KASAN: { op: 'DoesNotExist' } } }]],
  ['an empty expression map contributes no flag or attribute elements', 'n={{len .kernel.config}}', { n: '0' }, [{ feature: 'kernel.config', matchExpressions: {} }]],
];
for (const [name, template, expected, terms] of TEMPLATES) {
  test(`template: ${name}`, () => assert.equal(tpl(template, terms as never), expected));
}

test('a template over 64 KiB is an error', () => {
  assert.is(tpl('a=b\n' + ' '.repeat(64 * 1024)), 'error');
});

test('a template that would run for ever (2^40 iterations) stops at its step budget', () => {
  // $ (not .) inside the ranges, and no output, so that only the step budget can stop it.
  const many = Array.from({ length: 40 }, () => '{{range $.cpu.cpuid}}').join('') + '{{end}}'.repeat(40);
  assert.throws(() => executeRule({ name: 'long', labelsTemplate: many, matchFeatures: [{ feature: 'cpu.cpuid', matchName: { op: 'InRegexp', value: ['^AVX'] } }] }, F), /runs longer than \d+ steps/);
});

test('a template that would build unbounded output stops at its output limit', () => {
  const nest = 6;
  const wide = '{{range $.cpu.cpuid}}'.repeat(nest) + 'a=' + 'y'.repeat(60_000) + '\n' + '{{end}}'.repeat(nest);
  try {
    executeRule({ name: 'wide', labelsTemplate: wide, matchFeatures: [{ feature: 'cpu.cpuid', matchName: { op: 'InRegexp', value: ['^AVX'] } }] }, F);
    assert.unreachable('the template should have been stopped');
  } catch (e) {
    assert.instance(e, RuleError);
    assert.match((e as Error).message, /output exceeds/);
  }
});

test('static labels and vars override template output', () => {
  const r = executeRule({ name: 's', labels: { a: 'static' }, vars: { v: 'static' }, labelsTemplate: 'a=tpl\nb=tpl', varsTemplate: 'v=tpl\nw=tpl', matchFeatures: [{ feature: 'cpu.cpuid' }] }, F);
  assert.equal(r.labels, { a: 'static', b: 'tpl' });
  assert.equal(r.vars, { v: 'static', w: 'tpl' });
});

// Chaining, @ values and filtering (SPEC §3.2, §3.6)
const SETTINGS: NfdSettings = { extraLabelNs: [], denyLabelNs: [], enableTaints: false };
const run = (rules: NfdRule[], settings: Partial<NfdSettings> = {}, f = F) => evaluateNodeFeatureRules([{ name: 'obj', rules }], f, { ...SETTINGS, ...settings });

test('rule.matched carries earlier labels and vars to later rules', () => {
  const r = run([
    { name: 'first', labels: { 'gpu-present': 'true' }, vars: { 'gpu-vendor': 'intel' }, matchFeatures: [{ feature: 'pci.device', matchExpressions: { vendor: { op: 'In', value: ['8086'] } } }] },
    { name: 'second', labels: { 'intel-gpu': 'yes' }, matchFeatures: [{ feature: 'rule.matched', matchExpressions: { 'gpu-vendor': { op: 'In', value: ['intel'] } } }] },
    { name: 'third', labels: { 'never': 'x' }, matchFeatures: [{ feature: 'rule.matched', matchExpressions: { 'intel-gpu': { op: 'IsTrue' } } }] },
  ]);
  assert.equal([...r.labels.keys()], ['feature.node.kubernetes.io/gpu-present', 'feature.node.kubernetes.io/intel-gpu']);
  assert.not.ok(r.labels.has('feature.node.kubernetes.io/gpu-vendor'), 'vars are not labels');
});

test('rule.matched exists only once a rule has run without error: before that, a rule naming it does not match', () => {
  const first = run([{ name: 'asks', labels: { x: 'y' }, matchFeatures: [{ feature: 'rule.matched' }] }]);
  assert.is(first.rules[0]!.matched, false, 'nothing has run yet');
  const after = run([{ name: 'quiet', matchFeatures: [{ feature: 'cpu.cpuid', matchExpressions: { NOPE: { op: 'Exists' } } }] }, { name: 'asks', labels: { x: 'y' }, matchFeatures: [{ feature: 'rule.matched' }] }]);
  assert.is(after.rules[0]!.matched, false);
  assert.is(after.rules[1]!.matched, true, 'an unmatched rule that ran without error creates it, empty');
  const afterError = run([
    { name: 'broken', matchFeatures: [{ feature: 'cpu.model', matchExpressions: { family: { op: 'Gt', value: ['x'] } } }] },
    { name: 'asks', labels: { x: 'y' }, matchFeatures: [{ feature: 'rule.matched' }] },
  ]);
  assert.is(afterError.rules[1]!.matched, false, 'a rule that errored does not count');
});

test('later rules override earlier ones before filtering: a later value that is dropped takes the earlier one with it', () => {
  const r = run([
    { name: 'early', labels: { tier: 'gold' }, annotations: { note: 'short' } },
    { name: 'late', labels: { tier: 'not valid!' }, annotations: { note: 'z'.repeat(1025) } },
  ]);
  assert.is(r.labels.size, 0);
  assert.is(r.annotations.size, 0);
});

test('within one rule, a key written with its prefix wins over the same key without it', () => {
  const r = run([{ name: 'both', labels: { tier: 'short', 'feature.node.kubernetes.io/tier': 'explicit' } }]);
  assert.is(r.labels.get('feature.node.kubernetes.io/tier')!.value, 'explicit');
});

test('annotations, extended resources and taints ignore denyLabelNs and extraLabelNs; their kubernetes.io exception is feature.node only', () => {
  const settings = { denyLabelNs: ['example.com'], extraLabelNs: ['kubernetes.io'], enableTaints: true };
  const r = run(
    [
      {
        name: 'x',
        annotations: { 'example.com/a': 'kept', 'profile.node.kubernetes.io/p': 'refused', 'kubernetes.io/k': 'refused' },
        extendedResources: { 'example.com/gpus': '1', 'kubernetes.io/gpus': '1', 'profile.node.kubernetes.io/p': '1' },
        taints: [{ key: 'example.com/t', effect: 'NoSchedule' }, { key: 'kubernetes.io/t', effect: 'NoSchedule' }],
      },
    ],
    settings,
  );
  assert.equal([...r.annotations.keys()], ['example.com/a']);
  assert.equal([...r.extendedResources.keys()], ['example.com/gpus']);
  assert.equal(r.taints.map((t) => t.key), ['example.com/t']);
});

test('a rule that errors is skipped: no output and no rule.matched entry', () => {
  const r = run([
    { name: 'broken', labels: { broken: 'true' }, matchFeatures: [{ feature: 'cpu.model', matchExpressions: { family: { op: 'Gt', value: ['x'] } } }] },
    { name: 'after', labels: { after: 'true' }, matchFeatures: [{ feature: 'rule.matched', matchExpressions: { broken: { op: 'Exists' } } }] },
  ]);
  assert.is(r.labels.size, 0);
  assert.ok(r.rules[0]!.error);
  assert.match(r.rules[0]!.error!, /cpu\.model.*family.*Gt/);
  assert.is(r.rules[1]!.matched, false);
});

test('objects run in the order given (sorted by name by the caller), rules in list order; later rules override', () => {
  const r = evaluateNodeFeatureRules(
    [
      { name: 'a-obj', rules: [{ name: 'r1', labels: { tier: 'one' } }] },
      { name: 'b-obj', rules: [{ name: 'r2', labels: { tier: 'two' } }, { name: 'r3', labels: { other: 'x' } }] },
    ],
    F,
    SETTINGS,
  );
  assert.is(r.labels.get('feature.node.kubernetes.io/tier')!.value, 'two');
  assert.equal(r.labels.get('feature.node.kubernetes.io/tier')!.origin, { object: 'b-obj', rule: 'r2', index: 0 });
});

test('@ values resolve against attribute features after all rules ran, including rule.matched', () => {
  const r = run([
    { name: 'dyn', labels: { 'os-version': '@system.osrelease.VERSION_ID', later: '@rule.matched.late-var', bad: '@system.osrelease.NOPE' } },
    { name: 'late', vars: { 'late-var': 'v2' } },
  ]);
  assert.is(r.labels.get('feature.node.kubernetes.io/os-version')!.value, '4.16');
  assert.is(r.labels.get('feature.node.kubernetes.io/later')!.value, 'v2');
  assert.not.ok(r.labels.has('feature.node.kubernetes.io/bad'));
  assert.ok(r.dropped.some((d) => d.key === 'feature.node.kubernetes.io/bad' && /no attribute/.test(d.reason)));
});

test('@ values do not resolve against flags or instances', () => {
  const r = run([{ name: 'dyn', labels: { a: '@cpu.cpuid.AVX', b: '@pci.device.vendor' } }]);
  assert.is(r.labels.size, 0);
  assert.is(r.dropped.length, 2);
});

const NAMESPACES: [string, string, Partial<NfdSettings>, boolean][] = [
  ['unprefixed keys get feature.node.kubernetes.io/', 'plain', {}, true],
  ['feature.node.kubernetes.io is allowed', 'feature.node.kubernetes.io/x', {}, true],
  ['subdomains of feature.node.kubernetes.io are allowed', 'vendor.feature.node.kubernetes.io/x', {}, true],
  ['profile.node.kubernetes.io is allowed', 'profile.node.kubernetes.io/x', {}, true],
  ['kubernetes.io is denied', 'kubernetes.io/x', {}, false],
  ['*.kubernetes.io is denied', 'node-role.kubernetes.io/gpu', {}, false],
  ['other namespaces are allowed', 'example.com/gpu', {}, true],
  ['denyLabelNs denies an exact namespace', 'example.com/gpu', { denyLabelNs: ['example.com'] }, false],
  ['denyLabelNs *.x denies by suffix', 'gpu.example.com/x', { denyLabelNs: ['*.example.com'] }, false],
  ['denyLabelNs *.x does not deny x itself', 'example.com/x', { denyLabelNs: ['*.example.com'] }, true],
  ['denyLabelNs *x denies every namespace ending in x (nfd-master trims the *)', 'myexample.com/x', { denyLabelNs: ['*example.com'] }, false],
  ['denyLabelNs may deny feature.node.kubernetes.io itself', 'feature.node.kubernetes.io/x', { denyLabelNs: ['feature.node.kubernetes.io'] }, false],
  ['extraLabelNs allows a denied namespace', 'node-role.kubernetes.io/gpu', { extraLabelNs: ['node-role.kubernetes.io'] }, true],
  ['extraLabelNs overrides denyLabelNs', 'example.com/x', { denyLabelNs: ['example.com'], extraLabelNs: ['example.com'] }, true],
];
for (const [name, key, settings, kept] of NAMESPACES) {
  test(`label namespaces: ${name}`, () => {
    const r = run([{ name: 'ns', labels: { [key]: 'v' } }], settings);
    assert.is(r.labels.size, kept ? 1 : 0);
    assert.is(r.dropped.length, kept ? 0 : 1);
  });
}

test('invalid label keys and values are dropped with a reason', () => {
  const r = run([{ name: 'bad', labels: { 'bad key!': 'v', ok: 'has space', long: 'x'.repeat(64), fine: 'a-b_c.d' } }]);
  assert.equal([...r.labels.keys()], ['feature.node.kubernetes.io/fine']);
  assert.is(r.dropped.length, 3);
});

test('annotations: prefixed, nfd.node.kubernetes.io denied, values up to 1024 bytes', () => {
  const r = run([{ name: 'ann', annotations: { note: 'x', 'nfd.node.kubernetes.io/extended-resources': 'y', big: 'z'.repeat(1025), 'example.com/a': 'b' } }]);
  assert.equal([...r.annotations.keys()].sort(), ['example.com/a', 'feature.node.kubernetes.io/note']);
  assert.is(r.dropped.length, 2);
});

test('extended resources must be quantities and may be @ values', () => {
  const r = run([{ name: 'er', extendedResources: { vfs: '@pci.device.sriov', cores: '16', mem: '2Gi', milli: '500m', bad: 'lots', dyn: '@cpu.model.family' } }]);
  assert.equal(Object.fromEntries([...r.extendedResources].map(([k, v]) => [k, v.value])), {
    'feature.node.kubernetes.io/cores': '16',
    'feature.node.kubernetes.io/mem': '2Gi',
    'feature.node.kubernetes.io/milli': '500m',
    'feature.node.kubernetes.io/dyn': '6',
  });
  assert.is(r.dropped.length, 2);
});

test('taints apply only with enableTaints', () => {
  const rules: NfdRule[] = [{ name: 't', taints: [{ key: 'feature.node.kubernetes.io/gpu', value: 'true', effect: 'NoSchedule' }] }];
  assert.is(run(rules).taints.length, 0);
  assert.is(run(rules).dropped.length, 1);
  assert.equal(run(rules, { enableTaints: true }).taints.map((t) => `${t.key}=${t.value}:${t.effect}`), ['feature.node.kubernetes.io/gpu=true:NoSchedule']);
});

test('taints are never prefixed: an unprefixed taint is dropped; effects are checked', () => {
  const r = run([{ name: 't', taints: [{ key: 'gpu', effect: 'NoSchedule' }, { key: 'example.com/x', effect: 'Sometimes' }, { key: 'example.com/ok', effect: 'NoExecute' }] }], { enableTaints: true });
  assert.equal(r.taints.map((t) => t.key), ['example.com/ok']);
  assert.is(r.dropped.length, 2);
});

test('legacy nfd.openshift.io rules evaluate like upstream (same spec.rules)', () => {
  // The engine does not look at the API group; this documents it for the loader's three kinds.
  const r = run([{ name: 'os', labels: { a: 'b' }, matchFeatures: [{ feature: 'kernel.loadedmodule', matchExpressions: { veth: { op: 'Exists' } } }] }]);
  assert.is(r.labels.size, 1);
});

test.run();
