/**
 * Output templates (templates/*.hbs). Handlebars runs isolated, in strict mode, with one
 * helper: `json`, which inserts a value as a JSON scalar or flow collection — valid YAML that
 * cannot change the document's structure. The result is parsed back and canonicalised.
 */
import Handlebars from 'handlebars';
import jsyaml from 'js-yaml';

/** Template name (file name without `.yaml.hbs`) → compiled template. */
export type CompiledTemplates = ReadonlyMap<string, (data: object) => unknown>;

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
  const out = new Map<string, (data: object) => unknown>();
  for (const [name, text] of Object.entries(sources)) {
    const built = precompiled[name];
    const template = built && digest && built.digest === digest(text) ? hb.template(built.spec as Parameters<typeof hb.template>[0]) : hb.compile(text, TEMPLATE_OPTIONS);
    out.set(name, (data: object) => {
      const yamlText = template(data, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
      // Our own YAML, every value a JSON scalar or flow collection (the json helper): read
      // with YAML 1.2's core schema, where JSON means JSON; a duplicate key throws (a bug).
      return jsyaml.load(yamlText, { schema: jsyaml.CORE_SCHEMA });
    });
  }
  return out;
}

/** Renders template `name` with `data` into a plain object. */
export function renderTemplate(templates: CompiledTemplates, name: string, data: object): Record<string, unknown> {
  const fn = templates.get(name);
  if (!fn) throw new Error(`bug: no template "${name}"`);
  return fn(data) as Record<string, unknown>;
}
