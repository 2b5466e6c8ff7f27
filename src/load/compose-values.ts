/**
 * From a YAML syntax tree (the `yaml` package's, which keeps positions) to the plain value
 * Kubernetes reads — sigs.k8s.io/yaml's YAMLToJSON: go-yaml v2 decoding, then conversion to
 * JSON. Doing this ourselves, rather than with the yaml package's toJS, puts every rule in
 * one place and gives each problem the position of its node:
 * - scalars resolve by go-yaml's rules (go-yaml-resolve.ts);
 * - map keys become JSON keys as sigs.k8s.io/yaml makes them (`y: 1` → "true", `0x1F` → "31",
 *   `1e6` → "1e+06"); a null key, a collection key or one beyond int64 cannot be read;
 * - `.inf` and `.nan` values cannot be written as JSON, so Kubernetes refuses the document;
 * - `<<` merges as go-yaml v2 does: at its position, later keys win, in a merged list the
 *   earlier maps win;
 * - an alias inside the node it names is refused ("contains itself"), and aliases are
 *   bounded: at most `maxAliasCount` expansions and ALIAS_NODE_BUDGET copied nodes per
 *   document, so neither a cycle nor an alias bomb can make reading unbounded;
 * - nesting deeper than `maxDepth` is refused at the node that is too deep;
 * - a plain scalar in a flow collection may not start with ":" (libyaml's YAML 1.1 reading);
 * - a key written twice in one mapping is refused (Kubernetes' strict decoding refuses it;
 *   keys that a merge brings in may be overridden).
 * Every walk is bounded by the depth limit; nothing here can loop.
 */
import { isAlias, isMap, isScalar, isSeq, Scalar, type Alias, type Document, type Node, type YAMLMap } from 'yaml';
import type { DiagnosticCode } from '../diagnostics/catalogue.js';
import { jsonKeyOf, resolvePlainScalar, resolveTaggedScalar, STANDARD_SCALAR_TAGS, type ResolvedScalar } from './go-yaml-resolve.js';
import { setOwnProperty } from '../base/own-property.js';

/** Nodes that alias expansion may copy into one document, all aliases together. */
const ALIAS_NODE_BUDGET = 100_000;

/** Why a document cannot be read: a code, the offset of the node at fault, the path to it. */
export interface ComposeProblem {
  readonly code: DiagnosticCode;
  readonly offset: number;
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export interface ComposeLimits {
  readonly maxAliasCount: number;
  readonly maxDepth: number;
}

class Stop {
  constructor(readonly problem: ComposeProblem) {}
}

const STR_TAG = 'tag:yaml.org,2002:str';

/** The text of a scalar node as the YAML source spells its content. */
function textOf(node: Scalar): string {
  return typeof node.source === 'string' ? node.source : String(node.value ?? '');
}

/** Every alias of the document with the node it names: the last anchor of that name before it. */
function aliasTargets(root: Node | null): Map<Alias, Node> {
  const targets = new Map<Alias, Node>();
  const anchors = new Map<string, Node>();
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target) targets.set(node, target);
      continue;
    }
    if (!isScalar(node) && !isMap(node) && !isSeq(node)) continue;
    if (node.anchor) anchors.set(node.anchor, node);
    if (isMap(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) {
        const pair = node.items[i]!;
        pending.push(pair.value, pair.key);
      }
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) pending.push(node.items[i]);
    }
  }
  return targets;
}

/** Composes the value of one parsed document, or the first problem that stops Kubernetes reading it. */
export function composeDocumentValue(doc: Document.Parsed, limits: ComposeLimits, text = ''): { value: unknown } | { problem: ComposeProblem } {
  const root = doc.contents as Node | null;
  const targets = aliasTargets(root);
  const active = new Set<Node>();
  const path: (string | number)[] = [];
  let expansions = 0;
  let copied = 0;
  let aliasDepth = 0;
  // Inside an expansion the nodes are the anchor's: point at the alias the document shows.
  let outerAlias: { node: Alias; pathLength: number } | undefined;

  const stop = (code: DiagnosticCode, node: unknown, message: string): never => {
    const shown = aliasDepth > 0 && outerAlias ? outerAlias.node : node;
    const offset = (shown as { range?: [number, number, number] } | null)?.range?.[0] ?? doc.range[0];
    throw new Stop({ code, offset, path: path.slice(0, aliasDepth > 0 && outerAlias ? outerAlias.pathLength : path.length), message });
  };
  const enter = (alias: Alias) => {
    if (aliasDepth++ === 0) outerAlias = { node: alias, pathLength: path.length };
  };
  const leave = () => {
    if (--aliasDepth === 0) outerAlias = undefined;
  };

  const scalarOf = (node: Scalar, flow: boolean): ResolvedScalar => {
    // libyaml (and so go-yaml) reads ":" in a flow collection as the value indicator, always:
    // a plain scalar there cannot start with it, where YAML 1.2 allows `[:a]`.
    if (flow && node.type === Scalar.PLAIN && textOf(node).startsWith(':')) {
      return stop('YAML_SYNTAX', node, `a plain value inside [ ] or { } cannot start with ":" (Kubernetes' YAML reader takes it for the value indicator): quote ${JSON.stringify(textOf(node))}`);
    }
    const tag = node.tag;
    if (tag && tag !== '!' && tag !== STR_TAG) {
      if (!(tag in STANDARD_SCALAR_TAGS)) return stop('YAML_TAG', node, `the tag ${tag} is not read by kmm-render`);
      const r = resolveTaggedScalar(tag as keyof typeof STANDARD_SCALAR_TAGS, textOf(node));
      return 'error' in r ? stop('YAML_TAG', node, r.error) : r;
    }
    if (tag || node.type !== Scalar.PLAIN) return { kind: 'str', value: textOf(node), inexact: false };
    return resolvePlainScalar(textOf(node));
  };

  const expand = (alias: Alias): Node => {
    const target = targets.get(alias);
    if (!target) return stop('YAML_SYNTAX', alias, `the alias *${alias.source} names no anchor before it`);
    if (active.has(target)) return stop('YAML_ALIAS_RECURSIVE', alias, `the alias *${alias.source} is inside the node its anchor names, so its value would contain itself`);
    if (++expansions > limits.maxAliasCount) return stop('LIMIT_ALIASES', alias, `the document's aliases expand more than ${limits.maxAliasCount} times (limits.maxAliasCount)`);
    return target;
  };

  const keyOf = (node: unknown, flow: boolean): string => {
    let keyNode = node;
    if (isAlias(keyNode)) keyNode = expand(keyNode);
    if (!isScalar(keyNode)) return stop('YAML_NOT_JSON', node, 'a map key must be a scalar: Kubernetes cannot read a list or a mapping as a key');
    const r = scalarOf(keyNode, flow);
    const key = jsonKeyOf(r, textOf(keyNode));
    if (key === undefined) {
      const what = r.kind === 'null' ? 'a null key' : 'an integer key beyond the int64 range';
      return stop('YAML_NOT_JSON', node, `${what} (${JSON.stringify(textOf(keyNode))}) cannot be a JSON object key, so Kubernetes cannot read the document`);
    }
    return key;
  };

  const mapInto = (map: YAMLMap, out: Record<string, unknown>, depth: number) => {
    const written = new Set<string>();
    for (const pair of map.items) {
      const k = pair.key;
      if (isScalar(k) && k.type === Scalar.PLAIN && !k.tag && textOf(k) === '<<') {
        path.push('<<');
        mergeInto(pair.value, out, depth);
        path.pop();
        continue;
      }
      // `[a:, b]`: libyaml reads "a:" as one plain scalar where YAML 1.2 sees a key "a".
      if (map.flow === true && isScalar(k) && k.type === Scalar.PLAIN && k.range && text[k.range[1]] === ':' && /[,\]}]/.test(text[k.range[1] + 1] ?? '')) {
        return stop('YAML_SYNTAX', k, `"${textOf(k)}:" directly before "${text[k.range[1] + 1]}" is read differently by Kubernetes (as the text "${textOf(k)}:"): put a space after the ":" or quote the text`);
      }
      const key = keyOf(k, map.flow === true);
      if (written.has(key)) return stop('YAML_SYNTAX', k, `map keys must be unique: "${key}" appears twice`);
      written.add(key);
      path.push(key);
      setOwnProperty(out, key, valueOf(pair.value, depth + 1, map.flow === true));
      path.pop();
    }
    return out;
  };

  const mergeInto = (node: unknown, out: Record<string, unknown>, depth: number) => {
    const mapOf = (n: unknown): YAMLMap => {
      const m = isAlias(n) ? expand(n) : n;
      if (!isMap(m)) return stop('YAML_MERGE_INVALID', n, 'a merge key (<<) needs a mapping, an alias of one, or a list of them');
      return m;
    };
    const within = (n: unknown) => {
      const m = mapOf(n);
      if (isAlias(n)) enter(n);
      active.add(m);
      mapInto(m, out, depth);
      active.delete(m);
      if (isAlias(n)) leave();
    };
    if (isSeq(node)) {
      // Earlier maps take precedence: merge from the last to the first.
      for (let i = node.items.length - 1; i >= 0; i--) within(node.items[i]);
    } else within(node);
  };

  const valueOf = (node: unknown, depth: number, flow = false): unknown => {
    if (node === null || node === undefined) return null;
    if (aliasDepth > 0 && ++copied > ALIAS_NODE_BUDGET) return stop('LIMIT_ALIASES', node, `aliases copy more than ${ALIAS_NODE_BUDGET} nodes into the document`);
    if (isAlias(node)) {
      const target = expand(node);
      enter(node);
      const value = valueOf(target, depth, flow);
      leave();
      return value;
    }
    if (isScalar(node)) {
      const r = scalarOf(node, flow);
      if (r.kind === 'float' && !Number.isFinite(r.value as number)) {
        return stop('YAML_NOT_JSON', node, `${textOf(node)} is not a number JSON can hold, so Kubernetes cannot read the document (quote it for the text)`);
      }
      return r.value;
    }
    if (depth > limits.maxDepth) return stop('LIMIT_DEPTH', node, `the document nests deeper than ${limits.maxDepth} levels (limits.maxDepth)`);
    if (isMap(node)) {
      active.add(node);
      const out = mapInto(node, {}, depth);
      active.delete(node);
      return out;
    }
    if (isSeq(node)) {
      active.add(node);
      const out: unknown[] = [];
      for (let i = 0; i < node.items.length; i++) {
        path.push(i);
        out.push(valueOf(node.items[i], depth + 1, node.flow === true));
        path.pop();
      }
      active.delete(node);
      return out;
    }
    return stop('YAML_SYNTAX', node, 'a node of an unknown type');
  };

  try {
    return { value: valueOf(root, 1) };
  } catch (e) {
    if (e instanceof Stop) return { problem: e.problem };
    // Only a maxDepth set far above the default can get here.
    if (e instanceof RangeError) return { problem: { code: 'LIMIT_DEPTH', offset: doc.range[0], path: [], message: 'the document nests too deeply to be read' } };
    throw e;
  }
}
