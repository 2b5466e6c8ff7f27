/**
 * The YAML 1.1 scalar types Kubernetes' reader resolves, as `yaml` tags: the `yaml` package's
 * own YAML 1.1 schema with one fix. Its exponent-float pattern makes the mantissa optional,
 * so a plain `E1000` (a kernel.config option name, CONFIG_E1000 without its prefix) would be
 * read as the number NaN. YAML 1.1 and go-yaml need a digit before the exponent.
 */
import { Schema, type ScalarTag, type Tags } from 'yaml';

const EXP_FLOAT = /^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$/;

/** For the `customTags` option of the yaml package. */
export function fixYaml11Tags(tags: Tags): Tags {
  return tags.map((tag) => ((tag as ScalarTag).tag === 'tag:yaml.org,2002:float' && (tag as ScalarTag).format === 'EXP' ? { ...(tag as ScalarTag), test: EXP_FLOAT } : tag));
}

const implicitTags = (schema: Schema) =>
  (schema.tags as ScalarTag[]).filter((tag) => tag.default === true && tag.test instanceof RegExp && !('collection' in tag && tag.collection));

/** The implicit scalar tags of that schema, in resolution order. */
export const YAML_1_1_SCALAR_TAGS: readonly ScalarTag[] = implicitTags(new Schema({ schema: 'yaml-1.1', customTags: fixYaml11Tags }));

/** The implicit scalar tags of YAML 1.2's core schema (our templates' output), in resolution order. */
export const YAML_1_2_CORE_SCALAR_TAGS: readonly ScalarTag[] = implicitTags(new Schema({ schema: 'core' }));
