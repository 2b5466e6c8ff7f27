/** Reading the package's own schemas and templates from disk. I/O edge. */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { prepareAssets, type Assets, type RawAssets } from '../compile.js';
import type { PrecompiledTemplates } from '../render/templates.js';
import { SCHEMA_OF_KIND, type SchemaValidators } from '../validate/schemas.js';
import { PACKAGE_ROOT } from './package-info.js';
import { compareText } from '../base/compare-text.js';

export { PACKAGE_ROOT, toolVersion } from './package-info.js';

function readDir(dir: string, suffix: string): [string, string][] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => [f.slice(0, -suffix.length), readFileSync(join(dir, f), 'utf8')]);
}

/** Reads the raw assets. */
export function readRawAssets(root = PACKAGE_ROOT): RawAssets {
  const inputSchemas: Record<string, object> = {};
  for (const [name, text] of readDir(join(root, 'schemas', 'input'), '.schema.json')) inputSchemas[name] = JSON.parse(text) as object;
  return { inputSchemas, templates: Object.fromEntries(readDir(join(root, 'templates'), '.yaml.hbs')) };
}

/** A digest of the input schemas, to tell whether precompiled validators are current. */
export function schemasDigest(raw: RawAssets): string {
  return createHash('sha256').update(JSON.stringify(Object.entries(raw.inputSchemas).sort(([a], [b]) => compareText(a, b)))).digest('hex');
}

/**
 * The validators the build precompiled (scripts/precompile-schemas.ts), when they were made
 * from these very schemas; undefined otherwise (they are then compiled at run time).
 */
export function precompiledValidators(raw: RawAssets, root: string): SchemaValidators | undefined {
  const file = join(root, 'dist', 'generated', 'input-validators.cjs');
  if (!existsSync(file)) return undefined;
  const mod = createRequire(import.meta.url)(file) as Record<string, unknown> & { schemasDigest?: string };
  if (mod.schemasDigest !== schemasDigest(raw)) return undefined;
  const out = {} as Record<string, unknown>;
  for (const kind of Object.keys(SCHEMA_OF_KIND)) {
    if (typeof mod[kind] !== 'function') return undefined;
    out[kind] = mod[kind];
  }
  return out as unknown as SchemaValidators;
}

/** A template text's digest, as the build records it beside each precompiled template. */
export function templateDigest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The templates the build precompiled (scripts/precompile-templates.ts), if it did. */
export function precompiledTemplates(root: string): PrecompiledTemplates | undefined {
  const file = join(root, 'dist', 'generated', 'templates.cjs');
  return existsSync(file) ? (createRequire(import.meta.url)(file) as PrecompiledTemplates) : undefined;
}

let cached: Assets | undefined;

/** The compiled assets, read and compiled once per process. */
export function loadAssets(root = PACKAGE_ROOT): Assets {
  if (!cached) {
    const raw = readRawAssets(root);
    const specs = precompiledTemplates(root);
    cached = prepareAssets(raw, { validators: precompiledValidators(raw, root), ...(specs ? { templates: { specs, digest: templateDigest } } : {}) });
  }
  return cached;
}
