/**
 * Output templates (templates/*.hbs). Handlebars runs isolated, in strict mode, with one
 * helper: `json`, which inserts a value as a JSON scalar or flow collection — valid YAML that
 * cannot change the document's structure. The result is parsed back and canonicalised.
 */
import Handlebars from 'handlebars';
import jsyaml from 'js-yaml';
import { BoundedMemo } from '../base/bounded-memo.js';
import { toCanonicalYaml } from './canonical-yaml.js';

/** Template name (file name without `.yaml.hbs`) → compiled template, giving YAML text. */
export type CompiledTemplates = ReadonlyMap<string, (data: object) => string>;

/** How every template is compiled, at build time (scripts/precompile-templates.ts) or at run time. */
export const TEMPLATE_OPTIONS = { strict: true, noEscape: true, knownHelpers: { json: true }, knownHelpersOnly: true } as const;

/**
 * Templates the build compiled to Handlebars' template specs, each with the digest of the
 * text it was made from: name → { digest, spec }.
 */
export type PrecompiledTemplates = Readonly<Record<string, { readonly digest: string; readonly spec: object }>>;

/**
 * Compiles raw template texts once. A template the build precompiled from this very text
 * (`digest(text)` equals its digest) is used as it is; any other is compiled here.
 */
export function compileTemplates(sources: Readonly<Record<string, string>>, precompiled: PrecompiledTemplates = {}, digest?: (text: string) => string): CompiledTemplates {
  const hb = Handlebars.create();
  hb.registerHelper('json', (value: unknown) => JSON.stringify(value === undefined ? null : value));
  const out = new Map<string, (data: object) => string>();
  for (const [name, text] of Object.entries(sources)) {
    const built = precompiled[name];
    const template = built && digest && built.digest === digest(text) ? hb.template(built.spec as Parameters<typeof hb.template>[0]) : hb.compile(text, TEMPLATE_OPTIONS);
    out.set(name, (data: object) => template(data, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false }));
  }
  return out;
}

/** An object rendered from a template, and its canonical YAML. Shared: never changed. */
export interface RenderedText {
  readonly object: Readonly<Record<string, unknown>>;
  readonly yaml: string;
}

/**
 * Template outputs already read and written canonically, by their text: a fleet renders the
 * same object in many clusters (the medium bench fleet: 560 objects, 108 different ones), and
 * equal text means an equal object and equal YAML. Bounded, as the other memos.
 */
const RENDERED = new BoundedMemo<string, RenderedText>(1024);

/** Renders template `name` with `data`: the object and its canonical YAML. */
export function renderTemplate(templates: CompiledTemplates, name: string, data: object): RenderedText {
  const fn = templates.get(name);
  if (!fn) throw new Error(`bug: no template "${name}"`);
  return RENDERED.get(fn(data), (text) => {
    // Our own YAML, every value a JSON scalar or flow collection (the json helper): read
    // with YAML 1.2's core schema, where JSON means JSON; a duplicate key throws (a bug).
    const object = deepFreeze(jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA }) as Record<string, unknown>);
    return { object, yaml: toCanonicalYaml(object) };
  });
}

/** Freezes a parsed value all the way down: objects shared between clusters cannot be changed by one of them. */
function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  Object.freeze(value);
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
  else for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}
