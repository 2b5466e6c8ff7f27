import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkAllowlistCitations, readAllowlist } from '../conformance/allowlist.js';
import { PACKAGE_ROOT } from '../src/package/package-info.js';

test('every allowlist entry has an id, a reason and a citation that the cited document holds', () => {
  const entries = readAllowlist(PACKAGE_ROOT);
  assert.ok(entries.length > 0);
  for (const e of entries) {
    assert.ok(e.id && e.oracle && e.what && e.why && e.cites, `entry ${e.id} is incomplete`);
  }
  assert.equal(checkAllowlistCitations(PACKAGE_ROOT), []);
});

test('docs/conformance.md lists every allowlist entry', () => {
  const doc = readFileSync(join(PACKAGE_ROOT, 'docs', 'conformance.md'), 'utf8');
  for (const e of readAllowlist(PACKAGE_ROOT)) assert.ok(doc.includes(`| \`${e.id}\` |`), `docs/conformance.md does not list ${e.id}`);
});

test('allowlist ids are unique', () => {
  const ids = readAllowlist(PACKAGE_ROOT).map((e) => e.id);
  assert.equal(ids.length, new Set(ids).size);
});

test('a citation of a missing file or of text the file lacks is reported', () => {
  const root = mkdtempSync(join(tmpdir(), 'allowlist-'));
  try {
    mkdirSync(join(root, 'conformance'));
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, 'docs', 'a.md'), '# Objects\n- Loader pods\n');
    const entry = (id: string, cites: string) => ({ id, oracle: 'kmm', what: 'w', why: 'y', cites });
    writeFileSync(
      join(root, 'conformance', 'allowlist.json'),
      JSON.stringify([entry('ok', 'docs/a.md (Objects: Loader pods)'), entry('no-file', 'docs/b.md'), entry('no-part', 'docs/a.md (Objects: Device plugin)')]),
    );
    assert.equal(checkAllowlistCitations(root), ['allowlist no-file: cites docs/b.md, which is not a file of the repository', 'allowlist no-part: docs/a.md has no "Device plugin"']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
