/**
 * `diagnostics:` in kmm-render.yaml sets a severity per code: a warning can be made an error
 * (a coverage gate) or turned off; errors stay errors; unknown codes are refused.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadAssets } from '../src/package/assets.js';
import { digestInputs } from '../src/output/build-tree.js';
import { renderFleet } from '../src/run/render-fleet.js';
import { splitIntoUnits } from '../src/units/split-units.js';
import { unitKey } from '../src/units/unit-key.js';
import { compileSnapshot, PROVENANCE, snapshotFromFiles } from './support/compile-fixture.js';

const MODULE = `apiVersion: kmm.sigs.x-k8s.io/v1beta1
kind: Module
metadata: {name: kmod, namespace: default}
spec:
  selector: {node-role.kubernetes.io/worker: ""}
  moduleLoader:
    container:
      modprobe: {moduleName: kmod}
      kernelMappings:
        - literal: 5.14.0-427.22.1.el9_4.x86_64
          containerImage: quay.io/example/kmod:1
`;
const node = (name: string, kernel: string) =>
  `apiVersion: v1\nkind: Node\nmetadata: {name: ${name}, labels: {node-role.kubernetes.io/worker: ""}}\nstatus: {nodeInfo: {kernelVersion: ${kernel}}}\n`;

/** One node with a mapping and one without (KERNEL_MAPPING_MISSING, a warning). */
function repo(config?: string): Record<string, string> {
  return {
    'modules/kmod.yaml': MODULE,
    'clusters/a/nodes.yaml': `${node('n1', '5.14.0-427.22.1.el9_4.x86_64')}---\n${node('n2', '5.14.0-503.15.1.el9_5.x86_64')}`,
    'clusters/b/nodes.yaml': node('n3', '5.14.0-427.22.1.el9_4.x86_64'),
    ...(config ? { 'kmm-render.yaml': `apiVersion: kmm-render.io/v1alpha1\nkind: RenderConfig\nspec:\n  diagnostics:\n${config}` } : {}),
  };
}

/** `file:line:col` of the first diagnostic with `code`. */
function codeAt(list: readonly { code: string; file: string; line: number; col: number }[], code: string): string | undefined {
  const d = list.find((x) => x.code === code);
  return d && `${d.file}:${d.line}:${d.col}`;
}

const codes = (r: { diagnostics: readonly { code: string; severity: string }[] }) => r.diagnostics.map((d) => `${d.severity} ${d.code}`);

test('without settings, a node without a mapping is a warning and the render succeeds', () => {
  const r = compileSnapshot(snapshotFromFiles(repo()));
  assert.ok(r.ok);
  assert.ok(codes(r).includes('warning KERNEL_MAPPING_MISSING'));
});

test('KERNEL_MAPPING_MISSING: error fails the render (a coverage gate), in the whole compile and through units alike', async () => {
  const snapshot = snapshotFromFiles(repo('    KERNEL_MAPPING_MISSING: error\n'));
  const whole = compileSnapshot(snapshot);
  assert.not.ok(whole.ok);
  assert.is(whole.tree, undefined);
  assert.ok(codes(whole).includes('error KERNEL_MAPPING_MISSING'));
  const units = await renderFleet(snapshot, loadAssets, { provenance: PROVENANCE, jobs: 1 });
  assert.not.ok(units.ok);
  assert.equal(units.diagnostics, whole.diagnostics);
});

test('off drops the warning, and --strict does not bring it back', () => {
  const snapshot = snapshotFromFiles(repo('    KERNEL_MAPPING_MISSING: "off"\n'));
  for (const strict of [false, true]) {
    const r = compileSnapshot(snapshot, { strict });
    assert.not.ok(codes(r).some((c) => c.endsWith('KERNEL_MAPPING_MISSING')), `strict=${strict}`);
  }
});

test('an unknown code is an error at its key in kmm-render.yaml, naming codes like it', () => {
  const r = compileSnapshot(snapshotFromFiles(repo('    KERNEL_MAPING_MISSING: error\n')));
  assert.is(codeAt(r.diagnostics, 'CONFIG_DIAGNOSTIC_UNKNOWN'), 'kmm-render.yaml:5:5');
  const d = r.diagnostics.find((x) => x.code === 'CONFIG_DIAGNOSTIC_UNKNOWN')!;
  assert.is(d.path, '/spec/diagnostics/KERNEL_MAPING_MISSING');
  assert.match(d.message, /codes like it: .*KERNEL_MAPPING_MISSING/);
  assert.not.ok(r.ok);
});

test('an error cannot be made a warning or turned off', () => {
  const r = compileSnapshot(snapshotFromFiles(repo('    YAML_SYNTAX: warning\n')));
  assert.is(codeAt(r.diagnostics, 'CONFIG_DIAGNOSTIC_ERROR'), 'kmm-render.yaml:5:5');
  assert.not.ok(r.ok);
});

test('a severity that is not error, warning or off is a schema error', () => {
  const r = compileSnapshot(snapshotFromFiles(repo('    KERNEL_MAPPING_MISSING: fatal\n')));
  assert.ok(r.diagnostics.some((d) => d.file === 'kmm-render.yaml' && d.severity === 'error' && d.line === 5));
});

test('the settings are part of render.lock and of every unit cache key', () => {
  const a = snapshotFromFiles(repo('    KERNEL_MAPPING_MISSING: warning\n'));
  const b = snapshotFromFiles(repo('    KERNEL_MAPPING_MISSING: "off"\n'));
  const lock = (s: typeof a) => compileSnapshot(s).tree!.files.get('render.lock')!;
  assert.is.not(lock(a), lock(b));
  const keys = (s: typeof a) => splitIntoUnits(s)!.map((u) => unitKey(u, digestInputs(s), 'tool', { strict: false, pinDigests: false }));
  const ka = keys(a);
  const kb = keys(b);
  assert.is(ka.length, 2);
  ka.forEach((k, i) => assert.is.not(k, kb[i]));
});

test.run();
