/** The emitted objects carry exactly what SPEC §5 lists (beyond the golden files). */
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { compileSnapshot, snapshotOf } from './support/compile-fixture.js';
import { FIXTURES } from './support/paths.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function objectsOf(fixture: string): Map<string, Obj> {
  const tree = compileSnapshot(snapshotOf(join(FIXTURES, fixture, 'repo'))).tree!;
  return new Map([...tree.files].filter(([p]) => !p.endsWith('.md') && !p.endsWith('kustomization.yaml') && p !== 'render.lock').map(([p, t]) => [p, parse(t) as Obj]));
}

test('§5.1 loader DaemonSet: labels, selector, nodeSelector, pod settings, scripts and volumes', () => {
  const ds = objectsOf('simple-kmod').get('demo/40-loaders/daemonset-openshift-kmm-simple-kmod-4-18-0-372-26-1-el8-6-x86-64.yaml')!;
  const kernel = '4.18.0-372.26.1.el8_6.x86_64';
  const standard = { 'kmm.node.kubernetes.io/module.name': 'simple-kmod', 'kmm.node.kubernetes.io/kernel-version.full': kernel, 'kmm.node.kubernetes.io/role': 'module-loader' };
  assert.equal(ds.metadata.labels, { 'app.kubernetes.io/managed-by': 'kmm-render', ...standard });
  assert.equal(ds.metadata.annotations, { 'kmm-render.io/source': 'modules/simple-kmod.yaml', 'argocd.argoproj.io/sync-wave': '0' });
  assert.equal(ds.spec.selector.matchLabels, standard);
  assert.equal(ds.spec.template.metadata.labels, standard);
  const pod = ds.spec.template.spec;
  assert.equal(pod.nodeSelector, { 'node-role.kubernetes.io/worker': '', 'feature.node.kubernetes.io/kernel-version.full': kernel });
  assert.is(pod.priorityClassName, 'system-node-critical');
  assert.is(pod.serviceAccountName, 'kmm-operator-module-loader');
  const c = pod.containers[0];
  assert.is(c.name, 'module-loader');
  assert.equal(c.command, ['sleep', 'infinity']);
  assert.equal(c.lifecycle.postStart.exec.command, ['/bin/sh', '-c', 'modprobe -v -d /opt simple_kmod']);
  assert.equal(c.lifecycle.preStop.exec.command, ['/bin/sh', '-c', 'modprobe -rv -d /opt simple_kmod']);
  assert.equal(c.securityContext, { allowPrivilegeEscalation: false, capabilities: { add: ['SYS_MODULE'] }, runAsUser: 0, seLinuxOptions: { type: 'spc_t' } });
  assert.equal(c.volumeMounts, [{ name: 'node-lib-modules', mountPath: `/lib/modules/${kernel}`, readOnly: true }]);
  assert.equal(pod.volumes, [{ name: 'node-lib-modules', hostPath: { path: `/lib/modules/${kernel}`, type: 'Directory' } }]);
});

test('§5.1 with firmware: the firmware volume and the copy and cleanup steps; §5.6 the MachineConfig', () => {
  const objects = objectsOf('firmware-pools');
  const ds = objects.get('sno/40-loaders/daemonset-openshift-kmm-intel-dgpu-5-14-0-427-22-1-el9-4-x86-64.yaml')!;
  const c = ds.spec.template.spec.containers[0];
  assert.match(c.lifecycle.postStart.exec.command[2], /cp -r \/firmware\/\* \/var\/lib\/firmware-kmm && modprobe -v -d \/opt i915$/);
  assert.match(c.lifecycle.preStop.exec.command[2], / && cd \/firmware && find \|sort -r \|xargs -I\{\} rm -d \/var\/lib\/firmware-kmm\/\{\}$/);
  assert.ok(c.volumeMounts.some((m: Obj) => m.mountPath === '/var/lib/firmware-kmm'));
  assert.ok(ds.spec.template.spec.volumes.some((v: Obj) => v.hostPath?.path === '/var/lib/firmware-kmm' && v.hostPath.type === 'DirectoryOrCreate'));
  const mc = objects.get('sno/10-machine-config/machineconfig-99-master-kernel-args-firmware-path.yaml')!;
  assert.equal(mc.metadata.labels['machineconfiguration.openshift.io/role'], 'master');
  assert.equal(mc.spec.kernelArguments, ['firmware_class.path=/var/lib/firmware-kmm']);
  assert.is(mc.metadata.annotations['argocd.argoproj.io/sync-wave'], '-3');
});

test('§5.2 device plugin: labels, nodeSelector, kernel affinity, wait for the module, privileged, volumes', () => {
  const ds = objectsOf('device-plugin').get('edge/40-loaders/daemonset-openshift-kmm-my-kmod-device-plugin.yaml')!;
  assert.equal(ds.spec.selector.matchLabels, { 'kmm.node.kubernetes.io/module.name': 'my-kmod', 'kmm.node.kubernetes.io/role': 'device-plugin' });
  const pod = ds.spec.template.spec;
  assert.equal(pod.nodeSelector, { 'node-role.kubernetes.io/worker': '' });
  assert.equal(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions, [
    { key: 'feature.node.kubernetes.io/kernel-version.full', operator: 'In', values: ['6.0.15-300.fc37.x86_64', '6.0.18-300.fc37.x86_64'] },
  ]);
  assert.match(pod.initContainers[0].command[2], /until \[ -d \/sys\/module\/my_kmod \]/);
  const c = pod.containers[0];
  assert.equal(c.securityContext, { privileged: true });
  assert.equal(c.volumeMounts.map((m: Obj) => m.name), ['device-plugin-config', 'kubelet-device-plugins']);
  assert.equal(pod.volumes.map((v: Obj) => v.name), ['kubelet-device-plugins', 'device-plugin-config']);
  assert.equal(pod.imagePullSecrets, [{ name: 'my-pull-secret' }]);
});

test('§5.5 sync waves: MachineConfig -3, BuildConfig -2, signing Job and its trusted-CA ConfigMap -1, DaemonSets 0', () => {
  const waves = new Map<string, string>();
  for (const f of ['firmware-pools', 'build-and-sign']) for (const o of objectsOf(f).values()) waves.set(o.kind, o.metadata.annotations['argocd.argoproj.io/sync-wave']);
  assert.equal(Object.fromEntries(waves), { MachineConfig: '-3', DaemonSet: '0', BuildConfig: '-2', Job: '-1', ConfigMap: '-1' });
});

test.run();
