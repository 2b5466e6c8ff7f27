/**
 * Build step: compiles the input JSON Schemas (schemas/input/) to standalone validator code
 * with ajv, so that a render does not spend ~100 ms compiling schemas at startup. The file
 * carries a digest of the schemas it was made from; package/assets.ts uses it only when the
 * schemas on disk still have that digest, and compiles them itself otherwise.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { PACKAGE_ROOT } from '../src/package/package-info.js';
import { readRawAssets, schemasDigest } from '../src/package/assets.js';
import { createSchemaAjv, SCHEMA_OF_KIND } from '../src/validate/schemas.js';

const raw = readRawAssets();
const ajv = createSchemaAjv(raw.inputSchemas, { source: true });
const refs: Record<string, string> = {};
for (const [kind, name] of Object.entries(SCHEMA_OF_KIND)) refs[kind] = (raw.inputSchemas[name] as { $id: string }).$id;
const code = standaloneCode.default(ajv, refs);
const out = join(PACKAGE_ROOT, 'dist', 'generated', 'input-validators.cjs');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${code}\nexports.schemasDigest = ${JSON.stringify(schemasDigest(raw))};\n`);
process.stdout.write(`precompiled ${Object.keys(refs).length} input schemas into ${out.slice(PACKAGE_ROOT.length + 1)}\n`);
