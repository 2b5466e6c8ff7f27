/**
 * Executing a parsed template (go-template-parse.ts) over plain data, with Go's semantics
 * where real rules depend on them: `missingkey=error`, Go truthiness, `range` over lists
 * and maps (sorted keys), and printing. Bounded: a step budget and an output limit, and no
 * way to reach prototypes, globals, the file system or the network — only own properties of
 * the data and the functions listed here.
 */
import { TemplateError, type Command, type Operand, type Pipeline, type TemplateNode } from './go-template-parse.js';
import { hasOwnProperty } from '../base/own-property.js';

/** Executed nodes and function calls allowed per template run. */
const MAX_TEMPLATE_STEPS = 1_000_000;
/** Output allowed per template run. */
const MAX_TEMPLATE_OUTPUT = 1 << 20;

type Value = unknown;

/**
 * Variables, as Go keeps them: a frame per control structure, `:=` declaring in the current
 * frame, `=` changing the nearest existing variable (also outside the structure).
 */
class Scope {
  private vars: Map<string, Value> | undefined;
  constructor(private readonly parent?: Scope) {}

  private holder(name: string): Scope | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) if (s.vars?.has(name)) return s;
    return undefined;
  }

  has(name: string): boolean {
    return this.holder(name) !== undefined;
  }

  get(name: string): Value {
    return this.holder(name)?.vars!.get(name);
  }

  declare(name: string, value: Value): void {
    (this.vars ??= new Map()).set(name, value);
  }

  assign(name: string, value: Value): void {
    const s = this.holder(name);
    if (!s) throw new TemplateError(`undefined variable ${name}`);
    s.vars!.set(name, value);
  }
}


function isRecord(v: Value): v is Record<string, Value> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function truthy(v: Value): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isRecord(v)) return Object.keys(v).length > 0;
  return true;
}

/** Prints a value as Go's fmt %v does for the types templates see. */
function printValue(v: Value): string {
  if (v === null || v === undefined) return '<no value>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(printValue).join(' ')}]`;
  if (isRecord(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${printValue(v[k])}`).join(' ')}]`;
  return String(v);
}

function str(v: Value, fn: string): string {
  if (typeof v !== 'string') throw new TemplateError(`${fn}: expected a string, got ${printValue(v)}`);
  return v;
}

function int(v: Value, fn: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TemplateError(`${fn}: expected an integer, got ${printValue(v)}`);
  return v;
}

function lengthOf(v: Value): number {
  if (typeof v === 'string' || Array.isArray(v)) return v.length;
  if (isRecord(v)) return Object.keys(v).length;
  throw new TemplateError(`len of ${printValue(v)}`);
}

function compare(fn: string, a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new TemplateError(`${fn}: incompatible types for comparison: ${printValue(a)} and ${printValue(b)}`);
}

function indexInto(v: Value, key: Value): Value {
  if (Array.isArray(v) || typeof v === 'string') {
    const i = int(key, 'index');
    if (i < 0 || i >= v.length) throw new TemplateError(`index out of range: ${i}`);
    return v[i];
  }
  if (isRecord(v)) {
    const k = str(key, 'index');
    // Go's index on a map gives the zero value for a missing key.
    return hasOwnProperty(v, k) ? v[k] : null;
  }
  throw new TemplateError(`cannot index ${printValue(v)}`);
}

function printf(format: Value, args: Value[]): string {
  let i = 0;
  return str(format, 'printf').replace(/%([sdvq%])/g, (_, verb: string) => {
    if (verb === '%') return '%';
    const a = args[i++];
    if (verb === 'q') return JSON.stringify(printValue(a));
    return printValue(a);
  });
}

/** Go's %q of a string: double quotes, backslash escapes for quotes, backslashes and control characters. */
function goQuote(text: string): string {
  const named: Record<string, string> = { '\u0007': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (named[ch] !== undefined) out += named[ch];
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

/** The functions templates may call: Go's builtins and the common Sprig string helpers. */
const FUNCTIONS: Record<string, (...args: Value[]) => Value> = {
  index: (v, ...keys) => keys.reduce((acc, k) => indexInto(acc, k), v),
  len: (v) => lengthOf(v),
  eq: (a, ...bs) => {
    if (bs.length === 0) throw new TemplateError('eq needs at least two arguments');
    return bs.some((b) => a === b);
  },
  ne: (a, b) => a !== b,
  lt: (a, b) => compare('lt', a, b) < 0,
  le: (a, b) => compare('le', a, b) <= 0,
  gt: (a, b) => compare('gt', a, b) > 0,
  ge: (a, b) => compare('ge', a, b) >= 0,
  and: (...args) => args.find((a) => !truthy(a)) ?? args[args.length - 1],
  or: (...args) => args.find((a) => truthy(a)) ?? args[args.length - 1],
  not: (a) => !truthy(a),
  print: (...args) => args.map(printValue).join(''),
  println: (...args) => args.map(printValue).join(' ') + '\n',
  printf: (format, ...args) => printf(format, args),
  trim: (s) => str(s, 'trim').trim(),
  trimPrefix: (p, s) => (str(s, 'trimPrefix').startsWith(str(p, 'trimPrefix')) ? (s as string).slice((p as string).length) : s),
  trimSuffix: (x, s) => (str(s, 'trimSuffix').endsWith(str(x, 'trimSuffix')) ? (s as string).slice(0, (s as string).length - (x as string).length) : s),
  upper: (s) => str(s, 'upper').toUpperCase(),
  lower: (s) => str(s, 'lower').toLowerCase(),
  title: (s) => str(s, 'title').replace(/\b[a-z]/g, (c) => c.toUpperCase()),
  substr: (start, end, s) => {
    const text = str(s, 'substr');
    const a = int(start, 'substr');
    const b = int(end, 'substr');
    if (a < 0) return text.slice(0);
    if (b < 0 || b > text.length) return text.slice(a);
    return text.slice(a, b);
  },
  replace: (from, to, s) => str(s, 'replace').split(str(from, 'replace')).join(str(to, 'replace')),
  contains: (sub, s) => str(s, 'contains').includes(str(sub, 'contains')),
  hasPrefix: (p, s) => str(s, 'hasPrefix').startsWith(str(p, 'hasPrefix')),
  hasSuffix: (x, s) => str(s, 'hasSuffix').endsWith(str(x, 'hasSuffix')),
  first: (list) => {
    if (!Array.isArray(list)) throw new TemplateError(`first of ${printValue(list)}`);
    return list.length ? list[0] : null;
  },
  last: (list) => {
    if (!Array.isArray(list)) throw new TemplateError(`last of ${printValue(list)}`);
    return list.length ? list[list.length - 1] : null;
  },
  join: (sep, list) => {
    if (!Array.isArray(list)) throw new TemplateError(`join of ${printValue(list)}`);
    return list.map(printValue).join(str(sep, 'join'));
  },
  splitList: (sep, s) => str(s, 'splitList').split(str(sep, 'splitList')),
  default: (d, v) => (truthy(v) ? v : d),
  quote: (...args) => args.filter((a) => a !== null && a !== undefined).map((a) => goQuote(printValue(a))).join(' '),
  squote: (...args) => args.filter((a) => a !== null && a !== undefined).map((a) => `'${printValue(a)}'`).join(' '),
  toString: (v: Value) => printValue(v),
};

/** Runs a parsed template with `data` as dot. Throws TemplateError. */
export function executeTemplate(nodes: readonly TemplateNode[], data: Value): string {
  let steps = 0;
  let out = '';
  const step = () => {
    if (++steps > MAX_TEMPLATE_STEPS) throw new TemplateError(`template runs longer than ${MAX_TEMPLATE_STEPS} steps`);
  };
  const emit = (text: string) => {
    out += text;
    if (out.length > MAX_TEMPLATE_OUTPUT) throw new TemplateError(`template output exceeds ${MAX_TEMPLATE_OUTPUT} bytes`);
  };

  const field = (v: Value, name: string): Value => {
    if (!isRecord(v)) throw new TemplateError(`can't evaluate field ${name} in ${printValue(v)}`);
    if (!hasOwnProperty(v, name)) throw new TemplateError(`map has no entry for key "${name}"`);
    return v[name];
  };
  const fields = (v: Value, names: readonly string[]) => names.reduce((acc, n) => field(acc, n), v);

  const operand = (o: Operand, dot: Value, scope: Scope): Value => {
    switch (o.kind) {
      case 'dot':
        return fields(dot, o.fields);
      case 'var': {
        if (!scope.has(o.name)) throw new TemplateError(`undefined variable ${o.name}`);
        return fields(scope.get(o.name), o.fields);
      }
      case 'literal':
        return o.value;
      case 'pipe':
        return fields(pipeline(o.pipe, dot, scope), o.fields);
      case 'func':
        return call(o.name, []);
    }
  };

  const call = (name: string, args: Value[]): Value => {
    step();
    if (!hasOwnProperty(FUNCTIONS, name)) throw new TemplateError(`function "${name}" not defined`);
    return FUNCTIONS[name]!(...args);
  };

  const command = (c: Command, dot: Value, scope: Scope, piped: Value[]): Value => {
    const [head, ...rest] = c.args;
    if (head!.kind === 'func') return call(head.name, [...rest.map((a) => operand(a, dot, scope)), ...piped]);
    if (rest.length > 0 || piped.length > 0) throw new TemplateError(`can't give argument to non-function ${printValue(operand(head!, dot, scope))}`);
    return operand(head!, dot, scope);
  };

  const pipeline = (p: Pipeline, dot: Value, scope: Scope): Value => {
    let value: Value;
    p.cmds.forEach((c, i) => {
      value = command(c, dot, scope, i === 0 ? [] : [value]);
    });
    if (p.decl.length === 1) {
      if (p.assign) scope.assign(p.decl[0]!, value);
      else scope.declare(p.decl[0]!, value);
    }
    return value;
  };

  const list = (nodes: readonly TemplateNode[], dot: Value, parent: Scope): void => {
    const scope = new Scope(parent);
    for (const n of nodes) {
      step();
      switch (n.kind) {
        case 'text':
          emit(n.text);
          break;
        case 'action': {
          const v = pipeline(n.pipe, dot, scope);
          if (n.pipe.decl.length === 0) emit(printValue(v));
          break;
        }
        // A variable declared in the pipeline of if, with or range lives until its {{end}}.
        case 'if': {
          const inner = new Scope(scope);
          const v = pipeline(n.pipe, dot, inner);
          list(truthy(v) ? n.then : n.else, dot, inner);
          break;
        }
        case 'with': {
          const inner = new Scope(scope);
          const v = pipeline(n.pipe, dot, inner);
          if (truthy(v)) list(n.then, v, inner);
          else list(n.else, dot, inner);
          break;
        }
        case 'range': {
          const inner = new Scope(scope);
          const rangePipe = { ...n.pipe, decl: [] };
          const v = pipeline(rangePipe, dot, inner);
          const entries: [Value, Value][] = Array.isArray(v)
            ? v.map((e, i) => [i, e])
            : isRecord(v)
              ? Object.keys(v).sort().map((k) => [k, v[k]])
              : v === null || v === undefined
                ? []
                : (() => {
                    throw new TemplateError(`range can't iterate over ${printValue(v)}`);
                  })();
          if (entries.length === 0) list(n.else, dot, inner);
          for (const [k, e] of entries) {
            const iter = new Scope(inner);
            if (n.pipe.decl.length === 1) iter.declare(n.pipe.decl[0]!, e);
            if (n.pipe.decl.length === 2) {
              iter.declare(n.pipe.decl[0]!, k);
              iter.declare(n.pipe.decl[1]!, e);
            }
            list(n.then, e, iter);
          }
          break;
        }
      }
    }
  };

  const root = new Scope();
  root.declare('$', data);
  list(nodes, data, root);
  return out;
}
