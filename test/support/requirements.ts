/**
 * What some tests need from the machine: ../shared (reference schemas and corpus) and kubectl.
 * Without them a test cannot check what it exists for. Locally it says so and skips; under
 * CI=true the run fails with one clear line, so a CI without them is never green by skipping.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { SHARED } from './paths.js';

const inCI = process.env.CI === 'true';

function missing(what: string): undefined {
  if (inCI) throw new Error(`${what} is missing, and CI=true: this test cannot check what it exists for`);
  console.log(`  (${what} is missing: skipped)`);
  return undefined;
}

/** The path of a file or folder under ../shared, or undefined (skipped) when it is absent. */
export function sharedPath(...parts: string[]): string | undefined {
  const path = join(SHARED, ...parts);
  return existsSync(path) ? path : missing(`../shared/${parts.join('/')}`);
}

let kubectlChecked: boolean | undefined;

/** True when kubectl can run here; otherwise false (skipped), or a failure under CI=true. */
export function haveKubectl(): boolean {
  kubectlChecked ??= spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
  return kubectlChecked || missing('kubectl') === true;
}

/** Debian's Chromium (or CHROMIUM_PATH): the browser the report tests drive through playwright-core. */
export function chromiumPath(): string | undefined {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  return existsSync(path) ? path : missing(`Chromium (${path}; .ci/run installs Debian's chromium)`);
}
