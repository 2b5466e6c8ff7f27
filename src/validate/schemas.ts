/**
 * Validating input objects against the project's JSON Schemas (schemas/input/) with ajv, and
 * mapping every ajv error back to the file, line and column of the offending node.
 */
import { createRequire } from 'node:module';
import type { Ajv as AjvInstance, ErrorObject, ValidateFunction } from 'ajv';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { fromJsonPointer } from '../diagnostics/locate.js';
import type { KindKey } from '../load/kinds.js';
import { at, sourceTextAt } from '../load/object-ref.js';
import type { LoadedObject } from '../load/classify-documents.js';

/** The schema file (without `.schema.json`) that validates each kind. */
export const SCHEMA_OF_KIND: Record<KindKey, string> = {
  Module: 'module',
  ManagedClusterModule: 'managed-cluster-module',
  ConfigMap: 'config-map',
  NodeFeatureRule: 'node-feature-rule',
  Node: 'node',
  NodeFeature: 'node-feature',
  HardwareProfile: 'hardware-profile',
  MachineConfigPool: 'machine-config-pool',
  ImageStream: 'image-stream',
  Cluster: 'cluster',
  RenderConfig: 'render-config',
  ImageDigests: 'image-digests',
};

/** Validators, one per kind, each compiled on first use (most repos use a few kinds). */
export type SchemaValidators = Readonly<Record<KindKey, ValidateFunction>>;

/** The Ajv instance for the input schemas (also used by the build step that precompiles them). */
export function createSchemaAjv(schemas: Readonly<Record<string, object>>, code: { source?: boolean } = {}): AjvInstance {
  // Loaded here, not at the top: a render with the precompiled validators never needs ajv
  // itself (~30 ms of start-up).
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  // Code optimisation makes compiling ~40% slower and validating these small objects no faster.
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, code: { optimize: false, ...code } });
  for (const schema of Object.values(schemas)) ajv.addSchema(schema);
  return ajv;
}

/** Prepares the input schemas (name → parsed JSON Schema); each compiles when first used. */
export function compileInputSchemas(schemas: Readonly<Record<string, object>>): SchemaValidators {
  const ajv = createSchemaAjv(schemas);
  const compiled = new Map<KindKey, ValidateFunction>();
  const out = {} as Record<KindKey, ValidateFunction>;
  for (const [kind, name] of Object.entries(SCHEMA_OF_KIND) as [KindKey, string][]) {
    const schema = schemas[name] as { $id?: string } | undefined;
    if (!schema?.$id) throw new Error(`bug: schema ${name} is missing or has no $id`);
    const id = schema.$id;
    Object.defineProperty(out, kind, {
      enumerable: true,
      get() {
        let fn = compiled.get(kind);
        if (!fn) {
          fn = ajv.getSchema(id);
          if (!fn) throw new Error(`bug: schema ${name} did not compile`);
          compiled.set(kind, fn);
        }
        return fn;
      },
    });
  }
  return out;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** Words go-yaml reads as booleans and YAML 1.2 (yq v4, many editors) leaves as strings. */
const YAML_1_1_BOOLEAN = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

/**
 * What a value that should be a string was read as, in the words of the source: a number is
 * quoted as written (`1e400`, `0x1F`, never a JSON `null` for an infinity), and an unquoted
 * word that Kubernetes reads as a boolean says so. With the fix: quote it.
 */
function describeScalar(value: unknown, source: { text: string; plain: boolean } | undefined, expected: string): string {
  if (!source?.plain || (typeof value !== 'number' && typeof value !== 'boolean')) return describe(value);
  const written = source.text;
  const quoteIt = expected.split(',').includes('string') ? `; quote it: ${JSON.stringify(written)}` : '';
  if (typeof value === 'boolean' && YAML_1_1_BOOLEAN.test(written)) {
    return `boolean ${value}: Kubernetes reads an unquoted ${written} as ${value} (YAML 1.1, as go-yaml reads it)${quoteIt}`;
  }
  return `${typeof value} ${written}${quoteIt}`;
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let v: unknown = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[seg];
  }
  return v;
}

function toDiagnostic(obj: LoadedObject, e: ErrorObject): Diagnostic {
  const path = fromJsonPointer(e.instancePath);
  const field = path.length ? path[path.length - 1] : '(document)';
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      return diagnostic('SCHEMA_UNKNOWN_FIELD', at(obj.ref, [...path, key], true), `unknown field "${key}" in ${obj.kind.key}`);
    }
    case 'required': {
      const key = String((e.params as { missingProperty: string }).missingProperty);
      const where = path.length ? `"${field}"` : obj.kind.key;
      return diagnostic('SCHEMA_REQUIRED', at(obj.ref, path), `missing required field "${key}" in ${where}`);
    }
    case 'type': {
      const expected = String((e.params as { type: string | string[] }).type);
      const got = describeScalar(valueAt(obj.value, path), sourceTextAt(obj.ref, path), expected);
      return diagnostic('SCHEMA_TYPE', at(obj.ref, path), `"${field}" must be ${expected.replace(',', ' or ')}, not ${got}`);
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ');
      return diagnostic('SCHEMA_ENUM', at(obj.ref, path), `"${field}" must be one of ${allowed}`);
    }
    case 'pattern':
      if (field === 'name' || field === 'namespace') {
        return diagnostic('SCHEMA_INVALID', at(obj.ref, path), `${field} ${JSON.stringify(valueAt(obj.value, path))} is not a valid Kubernetes ${field === 'name' ? 'name (a DNS-1123 subdomain)' : 'namespace (a DNS-1123 label)'}`);
      }
      return diagnostic('SCHEMA_INVALID', at(obj.ref, path), `"${field}" ${e.message ?? 'is invalid'}`);
    default:
      return diagnostic('SCHEMA_INVALID', at(obj.ref, path), `"${field}" ${e.message ?? 'is invalid'}`);
  }
}

/** Validates one object; returns its schema diagnostics (empty when valid). */
export function validateAgainstSchema(obj: LoadedObject, validators: SchemaValidators): Diagnostic[] {
  const validate = validators[obj.kind.key];
  if (validate(obj.value)) return [];
  const errors = validate.errors ?? [];
  // A type error on a node makes errors below it noise; keep the outermost ones.
  const typePaths = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const kept = errors.filter((e) => !underTypeError(e.instancePath, typePaths) && !(e.keyword === 'allOf' || e.keyword === 'if' || e.keyword === '$ref'));
  return kept.map((e) => toDiagnostic(obj, e));
}

/**
 * Whether a proper ancestor of the JSON pointer `path` (the root "" included) has a type
 * error: each ancestor is looked up once, so a document with thousands of errors is linear.
 */
function underTypeError(path: string, typePaths: ReadonlySet<string>): boolean {
  if (typePaths.size === 0 || path === '') return false;
  for (let i = path.lastIndexOf('/'); i >= 0; i = path.lastIndexOf('/', i - 1)) {
    if (typePaths.has(path.slice(0, i))) return true;
    if (i === 0) break;
  }
  return false;
}
