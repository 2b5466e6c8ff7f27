/**
 * A signing Job is immutable, so the same inputs rendered into a different Job must get a new
 * name: SIGN_JOB_LAYOUT is part of the name's hash. This test records the digest of the Job
 * each layout renders for the build-and-sign fixture (without its name); a change to the
 * rendered Job fails here until the layout is bumped and its digest recorded.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SIGN_JOB_LAYOUT } from '../src/plan/plan-build-sign.js';
import { compileSnapshot, snapshotOf } from './support/compile-fixture.js';
import { FIXTURES } from './support/paths.js';

/** Layout → digest of its rendered Job. Add a line per bump; never edit an old one. */
const RECORDED: Record<number, string> = {
  // 1: before the conformance suite (not recorded).
  2: '547935b6247a247991ecdff6b281e27e28b00c1dfe223c95646c6bad836f70e7',
};

test('the signing Job renders as its recorded layout (bump SIGN_JOB_LAYOUT when it changes)', () => {
  const result = compileSnapshot(snapshotOf(join(FIXTURES, 'build-and-sign', 'repo')));
  const jobs = (result.clusters ?? []).flatMap((c) => c.objects).filter((o) => o.kind === 'Job');
  assert.is(jobs.length, 1);
  const job = structuredClone(jobs[0]!.object) as { metadata: { name?: string } };
  delete job.metadata.name;
  const digest = createHash('sha256').update(JSON.stringify(job)).digest('hex');
  const recorded = RECORDED[SIGN_JOB_LAYOUT];
  assert.ok(recorded !== undefined, `record layout ${SIGN_JOB_LAYOUT}: '${digest}'`);
  assert.is(
    digest,
    recorded,
    `the signing Job renders differently from layout ${SIGN_JOB_LAYOUT}: bump SIGN_JOB_LAYOUT in src/plan/plan-build-sign.ts and record ${SIGN_JOB_LAYOUT + 1}: '${digest}'`,
  );
  const reused = Object.entries(RECORDED).find(([layout, d]) => d === digest && Number(layout) !== SIGN_JOB_LAYOUT);
  assert.is(reused, undefined, 'two layouts record the same Job');
});

test.run();
