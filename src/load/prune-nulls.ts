/** Null fields, dropped as the API server drops them (SPEC §2.4). */
import { setOwnProperty } from '../base/own-property.js';

/**
 * Drops null-valued fields, as the Kubernetes API server does for fields that are not
 * nullable: `matchFeatures:` with only comments under it is the same as no matchFeatures,
 * and `selector:` with nothing under it is a missing selector.
 */
export function pruneNulls(value: unknown): unknown {
  return pruneNullsWithDepth(value).value;
}

/**
 * pruneNulls and the nesting depth of the result, in one walk (the fast reader checks the
 * depth limit anyway), and whether some key could be a null key stringified. Depth counts collections, as valueDepth does. Parsed values belong to
 * the pipeline, so children are replaced in place; a mapping with null fields is copied
 * (`delete` would leave a slow dictionary-mode object).
 */
export function pruneNullsWithDepth(value: unknown): { value: unknown; depth: number; nullLikeKey: boolean } {
  let max = 0;
  // A key that a null scalar could have become in a reader that stringifies keys (fast-read.ts).
  let nullLikeKey = false;
  const walk = (v: unknown, depth: number): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (depth > max) max = depth;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const c = v[i];
        if (c !== null && typeof c === 'object') v[i] = walk(c, depth + 1);
      }
      return v;
    }
    const record = v as Record<string, unknown>;
    let hasNull = false;
    for (const k in record) {
      if (k.length <= 4 && (k === '' || k === '~' || k === 'null' || k === 'Null' || k === 'NULL')) nullLikeKey = true;
      const c = record[k];
      if (c === null) hasNull = true;
      else if (typeof c === 'object') {
        const pruned = walk(c, depth + 1);
        if (pruned !== c) setOwnProperty(record, k, pruned);
      }
    }
    if (!hasNull) return record;
    const out: Record<string, unknown> = {};
    for (const [k, c] of Object.entries(record)) if (c !== null) setOwnProperty(out, k, c);
    return out;
  };
  const out = walk(value, 1);
  return { value: out, depth: max, nullLikeKey };
}
