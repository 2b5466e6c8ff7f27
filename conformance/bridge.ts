/**
 * The kmm-render side of the conformance suite: `node dist/conformance/bridge.js` reads one
 * JSON request on stdin, `{op, cases}`, answers each case with kmm-render's own code — the
 * same functions `render`, `validate` and `nfd dryrun` run — and writes `{results}` on
 * stdout. The Go oracles in conformance/* send the cases and compare the answers with the
 * real implementations. Nothing here decides agreement.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAssets, PACKAGE_ROOT } from '../src/package/assets.js';
import { compile } from '../src/compile.js';
import { isDns1123Label, isDns1123Subdomain, isLabelKey, isLabelValue } from '../src/k8s/name-syntax.js';
import { substituteVariables } from '../src/kmm/substitution.js';
import { parseFile } from '../src/load/parse-documents.js';
import { runDryrun } from '../src/nfd-dryrun.js';
import { makeObjectName } from '../src/plan/names.js';
import { readReaderSettings, readRepo } from '../src/repo/read-repo.js';

type Json = unknown;

/** A YAML file: its documents as the pipeline reads them, by both readers, or the first error. */
function readYaml(c: { text: string }): Json {
  const answer = (fastRead: boolean) => {
    const r = parseFile({ path: 'case.yaml', text: c.text }, undefined, { fastRead });
    const error = r.diagnostics.find((d) => d.severity === 'error');
    return error ? { error: `${error.code}: ${error.message}` } : { documents: r.documents.map((d) => d.value) };
  };
  const fast = answer(true);
  const slow = answer(false);
  return JSON.stringify(fast) === JSON.stringify(slow) ? fast : { ...slow, readersDiffer: true };
}

const NAME_CHECKS: Record<string, (value: string) => boolean> = {
  dns1123Label: isDns1123Label,
  dns1123Subdomain: isDns1123Subdomain,
  labelKey: isLabelKey,
  labelValue: isLabelValue,
};

/** Name syntax: the verdict of each check, and the object name planning makes of the value. */
function checkName(c: { kind: string; value: string }): Json {
  if (c.kind === 'objectName') return { name: makeObjectName([c.value, 'x'], c.value) };
  const check = NAME_CHECKS[c.kind];
  if (!check) throw new Error(`bug: no name check ${c.kind}`);
  return { valid: check(c.value) };
}

function substitute(c: { text: string; vars: Record<string, string> }): Json {
  const r = substituteVariables(c.text, c.vars);
  return r.error ? { error: r.error } : { value: r.value };
}

/** `nfd dryrun` on one node: rules, the node's NodeFeature and the nfd settings, as JSON documents. */
function dryrun(c: { rules: object[]; nodeFeature: object; cluster?: object }): Json {
  const file = (path: string, value: object) => ({ path, text: JSON.stringify(value) });
  const { diagnostics, report } = runDryrun(
    {
      rules: c.rules.map((r, i) => file(`rules-${i}.json`, r)),
      features: file('features.json', c.nodeFeature),
      ...(c.cluster ? { clusterConfig: file('cluster.json', c.cluster) } : {}),
    },
    loadAssets().validators,
  );
  return report ? { report } : { error: diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`).join('\n') };
}

/** A repository in memory (path → JSON value or text) compiled as `render` compiles it. */
function renderRepo(c: { files: Record<string, Json> }): Json {
  const files = Object.entries(c.files).map(([path, v]) => ({ path, text: typeof v === 'string' ? v : JSON.stringify(v) }));
  const r = compile({ files, readDiagnostics: [] }, loadAssets());
  const diagnostics = r.diagnostics.map((d) => ({ code: d.code, severity: d.severity, message: d.message, file: d.file, path: d.path }));
  if (!r.ok) return { ok: false, diagnostics };
  const objects = (r.clusters ?? []).flatMap((cl) => cl.objects.map((o) => ({ cluster: cl.plan.cluster.name, kind: o.kind, name: o.name, namespace: o.namespace ?? '', object: o.object })));
  return { ok: true, diagnostics, objects };
}

/** Every object every bundled fixture renders (the API validation oracle checks them). */
function renderFixtures(): Json {
  const fixtures = join(PACKAGE_ROOT, 'fixtures');
  const out: Json[] = [];
  for (const name of readdirSync(fixtures).sort()) {
    const repo = join(fixtures, name, 'repo');
    if (!existsSync(repo) || !existsSync(join(fixtures, name, 'expected'))) continue;
    const r = compile(readRepo(repo, undefined, readReaderSettings(repo)), loadAssets());
    for (const cl of r.clusters ?? []) for (const o of cl.objects) out.push({ fixture: name, cluster: cl.plan.cluster.name, kind: o.kind, name: o.name, object: o.object });
  }
  return out;
}

const OPS: Record<string, (c: never) => Json> = {
  yaml: readYaml,
  names: checkName,
  substitution: substitute,
  nfd: dryrun,
  render: renderRepo,
};

function main(): void {
  const request = JSON.parse(readFileSync(0, 'utf8')) as { op: string; cases?: unknown[] };
  if (request.op === 'fixtures') {
    process.stdout.write(JSON.stringify({ results: renderFixtures() }));
    return;
  }
  const op = OPS[request.op];
  if (!op) throw new Error(`unknown op ${request.op}`);
  const results = (request.cases ?? []).map((c) => {
    try {
      return op(c as never);
    } catch (e) {
      // A throw is a kmm-render bug; the oracle reports it as a disagreement.
      return { crash: String((e as Error).stack ?? e) };
    }
  });
  process.stdout.write(JSON.stringify({ results }));
}

main();
