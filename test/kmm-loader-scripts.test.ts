import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeLoadScript, makeSoftdepConf, makeUnloadScript } from '../src/kmm/loader-commands.js';
import { isShellQuotable, shellQuote } from '../src/kmm/shell-quote.js';

const quoting: [string, string][] = [
  ['simple_kmod', 'simple_kmod'],
  ['/opt', '/opt'],
  ['param=1', 'param=1'],
  ['', "''"],
  ['label=my lab', "'label=my lab'"],
  ["it's", `'it'"'"'s'`],
  ['$(reboot)', "'$(reboot)'"],
  ['a;b', "'a;b'"],
  ['*', "'*'"],
];
for (const [value, quoted] of quoting) {
  test(`shell quoting: ${JSON.stringify(value)} → ${quoted}`, () => assert.is(shellQuote(value), quoted));
}

test('control characters cannot be quoted safely', () => {
  assert.is(isShellQuotable('a\nb'), false);
  assert.is(isShellQuotable('a\u0000'), false);
  assert.is(isShellQuotable('a b'), true);
  assert.throws(() => shellQuote('a\nb'));
});

const base = { moduleName: 'simple_kmod', dirName: '/opt' };

test('default load and unload scripts are KMM\'s', () => {
  assert.is(makeLoadScript(base, '/var/lib/firmware'), 'modprobe -v -d /opt simple_kmod');
  assert.is(makeUnloadScript(base, '/var/lib/firmware'), 'modprobe -rv -d /opt simple_kmod');
});

test('parameters follow the module name, quoted when needed', () => {
  assert.is(makeLoadScript({ ...base, parameters: ['a=1', 'b=two words'] }, '/x'), "modprobe -v -d /opt simple_kmod a=1 'b=two words'");
});

test('args replace -v / -rv', () => {
  const m = { ...base, args: { load: ['-v', '--first-time'], unload: ['-r'] } };
  assert.is(makeLoadScript(m, '/x'), 'modprobe -v --first-time -d /opt simple_kmod');
  assert.is(makeUnloadScript(m, '/x'), 'modprobe -r -d /opt simple_kmod');
});

test('rawArgs replace everything after modprobe', () => {
  const m = { dirName: '/opt', rawArgs: { load: ['-d', '/mnt', 'a b'], unload: ['-r', 'x'] } };
  assert.is(makeLoadScript(m, '/x'), "modprobe -d /mnt 'a b'");
  assert.is(makeUnloadScript(m, '/x'), 'modprobe -r x');
});

test('an in-tree module is removed first, with the same -d as the load (as KMM 1.1 does)', () => {
  assert.is(makeLoadScript(base, '/x', ['simple_old']), 'modprobe -r -d /opt simple_old && modprobe -v -d /opt simple_kmod');
  assert.is(makeLoadScript(base, '/x', ['a', 'b']), 'modprobe -r -a -d /opt a b && modprobe -v -d /opt simple_kmod');
});

test('firmware is copied before loading and removed after unloading, with the glob unquoted', () => {
  const m = { ...base, firmwarePath: '/fw dir' };
  assert.is(makeLoadScript(m, '/var/lib/firmware'), "cp -r '/fw dir'/* /var/lib/firmware && modprobe -v -d /opt simple_kmod");
  assert.is(
    makeUnloadScript(m, '/var/lib/firmware'),
    "modprobe -rv -d /opt simple_kmod && cd '/fw dir' && find |sort -r |xargs -I{} rm -d /var/lib/firmware/{}",
  );
});

test('a hostile module name cannot break out of the script', () => {
  const s = makeLoadScript({ moduleName: 'x; reboot', dirName: '/opt' }, '/x');
  assert.is(s, "modprobe -v -d /opt 'x; reboot'");
});

test('softdep.conf has one line per consecutive pair', () => {
  assert.is(makeSoftdepConf(['a', 'b', 'c']), 'softdep a pre: b\nsoftdep b pre: c\n');
});

test.run();
