/**
 * How the `yaml` package parses an input file: as syntax only. It keeps positions and finds
 * syntax errors; what the scalars mean is decided afterwards by compose-values.ts with
 * go-yaml's rules, so every scalar is parsed here as a string (the failsafe schema). The
 * standard scalar tags are declared so that `!!int "3"` is not reported as an unknown tag;
 * their meaning, too, is compose-values'. Merge keys are left as plain `<<` keys for the same
 * reason, and the yaml package's extra tags (!!binary, !!set, !!timestamp…) stay unknown.
 */
import type { ParseOptions, DocumentOptions, SchemaOptions, ScalarTag } from 'yaml';
import { STANDARD_SCALAR_TAGS } from './go-yaml-resolve.js';

const DECLARED_TAGS: ScalarTag[] = Object.keys(STANDARD_SCALAR_TAGS)
  .filter((tag) => tag !== 'tag:yaml.org,2002:str')
  .map((tag) => ({ tag, default: false, resolve: (text: string) => text }));

/** Options for parseAllDocuments over an input file. */
export const INPUT_PARSE_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  schema: 'failsafe',
  customTags: DECLARED_TAGS,
  resolveKnownTags: false,
  merge: false,
  // Keys are compared after they become JSON keys (compose-values.ts), in linear time.
  uniqueKeys: false,
  prettyErrors: false,
  keepSourceTokens: false,
};
