/**
 * Output templates (templates/*.hbs). Handlebars runs isolated, in strict mode, with one
 * helper: `json`, which inserts a value as a JSON scalar or flow collection — valid YAML that
 * cannot change the document's structure. The result is parsed back and canonicalised.
 */
import Handlebars from 'handlebars';
import { parse } from 'yaml';
import { readYamlFast } from '../load/fast-read.js';

/** Template name (file name without `.yaml.hbs`) → compiled template. */
export type CompiledTemplates = ReadonlyMap<string, (data: object) => unknown>;

/** Compiles raw template texts once. */
export function compileTemplates(sources: Readonly<Record<string, string>>): CompiledTemplates {
  const hb = Handlebars.create();
  hb.registerHelper('json', (value: unknown) => JSON.stringify(value === undefined ? null : value));
  const out = new Map<string, (data: object) => unknown>();
  for (const [name, text] of Object.entries(sources)) {
    const template = hb.compile(text, { strict: true, noEscape: true, knownHelpers: { json: true }, knownHelpersOnly: true });
    out.set(name, (data: object) => {
      const yamlText = template(data, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
      // The fast reader gives the same value for JSON scalars and plain keys, or declines.
      const fast = readYamlFast(yamlText);
      return fast && fast.values.length === 1 ? fast.values[0] : parse(yamlText, { version: '1.2', uniqueKeys: true });
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
