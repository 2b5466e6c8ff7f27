/**
 * Parsing the Go text/template subset that NodeFeatureRule templates use (SPEC §3.5):
 * text, `{{pipeline}}`, `if`/`else if`/`else`, `range` (with `$i, $e :=`), `with`, variables,
 * parenthesised pipelines with field access, string/number/bool literals, `|` pipes,
 * comments and `{{-`/`-}}` trimming. A parser, not a translation to JavaScript: the result
 * is a tree that go-template-eval.ts walks.
 */
import { NfdEngineError } from './engine-error.js';

/** A template that does not parse or fails to run. */
export class TemplateError extends NfdEngineError {}

export type Operand =
  | { kind: 'dot'; fields: string[] }
  | { kind: 'var'; name: string; fields: string[] }
  | { kind: 'func'; name: string }
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'pipe'; pipe: Pipeline; fields: string[] };

export interface Command {
  readonly args: Operand[];
}

export interface Pipeline {
  /** Variables declared with `:=` (or assigned with `=`). */
  readonly decl: string[];
  readonly assign: boolean;
  readonly cmds: Command[];
}

export type TemplateNode =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipe: Pipeline }
  | { kind: 'if' | 'with'; pipe: Pipeline; then: TemplateNode[]; else: TemplateNode[] }
  | { kind: 'range'; pipe: Pipeline; then: TemplateNode[]; else: TemplateNode[] };

type Token =
  | { t: 'field'; v: string; glued: boolean }
  | { t: 'var'; v: string }
  | { t: 'ident'; v: string }
  | { t: 'string'; v: string }
  | { t: 'number'; v: number }
  | { t: 'punct'; v: '(' | ')' | '|' | ':=' | '=' | ',' };

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);

function unquote(raw: string): string {
  try {
    return JSON.parse(raw.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1')) as string;
  } catch {
    throw new TemplateError(`bad string literal ${raw}`);
  }
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const isIdent = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      if (j >= src.length) throw new TemplateError('unterminated string');
      out.push({ t: 'string', v: unquote(src.slice(i, j + 1)) });
      i = j + 1;
    } else if (c === '`') {
      const j = src.indexOf('`', i + 1);
      if (j < 0) throw new TemplateError('unterminated raw string');
      out.push({ t: 'string', v: src.slice(i + 1, j) });
      i = j + 1;
    } else if (c === '.' || c === '$') {
      let j = i + 1;
      while (isIdent(src[j])) j++;
      const head = src.slice(i, j);
      // A field glued to what precedes it (`$x.a`, `(...).a`, `.a.b`) belongs to that operand.
      const glued = c === '.' && i > 0 && !/[\s(]/.test(src[i - 1]!);
      if (c === '$') out.push({ t: 'var', v: head });
      else out.push({ t: 'field', v: head.slice(1), glued });
      i = j;
    } else if (/[0-9-]/.test(c) && /[0-9]/.test(src[i + (c === '-' ? 1 : 0)] ?? '')) {
      const m = /^-?[0-9]+(\.[0-9]+)?/.exec(src.slice(i))!;
      out.push({ t: 'number', v: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (isIdent(src[j])) j++;
      out.push({ t: 'ident', v: src.slice(i, j) });
      i = j;
    } else if (src.startsWith(':=', i)) {
      out.push({ t: 'punct', v: ':=' });
      i += 2;
    } else if ('()|=,'.includes(c)) {
      out.push({ t: 'punct', v: c as '(' | ')' | '|' | '=' | ',' });
      i++;
    } else {
      throw new TemplateError(`unexpected character ${JSON.stringify(c)} in action`);
    }
  }
  return out;
}

/**
 * Field tokens following a `var` or `(...)` belong to it; a lone `.` is the dot. A `field`
 * token that starts an operand begins a dot chain.
 */
class PipeParser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  done(): boolean {
    return this.i >= this.toks.length;
  }

  private peek(): Token | undefined {
    return this.toks[this.i];
  }

  /** Field names glued to the operand just read. */
  private fields(): string[] {
    const out: string[] = [];
    for (let tok = this.peek(); tok?.t === 'field' && tok.glued; tok = this.peek()) {
      if (tok.v === '') throw new TemplateError('a field name is missing after "."');
      out.push(tok.v);
      this.i++;
    }
    return out;
  }

  operand(): Operand | undefined {
    const tok = this.peek();
    if (!tok) return undefined;
    if (tok.t === 'punct' && tok.v === '(') {
      this.i++;
      const pipe = this.pipeline(true);
      const close = this.toks[this.i++];
      if (!close || close.t !== 'punct' || close.v !== ')') throw new TemplateError('missing )');
      return { kind: 'pipe', pipe, fields: this.fields() };
    }
    if (tok.t === 'punct') return undefined;
    this.i++;
    switch (tok.t) {
      case 'field':
        return { kind: 'dot', fields: tok.v === '' ? this.fields() : [tok.v, ...this.fields()] };
      case 'var':
        return { kind: 'var', name: tok.v, fields: this.fields() };
      case 'string':
        return { kind: 'literal', value: tok.v };
      case 'number':
        return { kind: 'literal', value: tok.v };
      case 'ident':
        if (tok.v === 'true' || tok.v === 'false') return { kind: 'literal', value: tok.v === 'true' };
        if (tok.v === 'nil') return { kind: 'literal', value: null };
        if (KEYWORDS.has(tok.v)) throw new TemplateError(`unexpected keyword ${tok.v}`);
        return { kind: 'func', name: tok.v };
    }
  }

  pipeline(inParens = false): Pipeline {
    const decl: string[] = [];
    let assign = false;
    // `$x :=` or `$i, $e :=`
    const save = this.i;
    const vars: string[] = [];
    while (this.peek()?.t === 'var') {
      vars.push((this.toks[this.i++] as { v: string }).v);
      const sep = this.peek();
      if (sep?.t === 'punct' && sep.v === ',') {
        this.i++;
        continue;
      }
      break;
    }
    const op = this.peek();
    if (vars.length > 0 && op?.t === 'punct' && (op.v === ':=' || op.v === '=')) {
      this.i++;
      decl.push(...vars);
      assign = op.v === '=';
    } else {
      this.i = save;
    }
    const cmds: Command[] = [];
    for (;;) {
      const args: Operand[] = [];
      for (let a = this.operand(); a; a = this.operand()) args.push(a);
      if (args.length === 0) throw new TemplateError('missing value in pipeline');
      cmds.push({ args });
      const next = this.peek();
      if (next?.t === 'punct' && next.v === '|') {
        this.i++;
        continue;
      }
      if (next && !(inParens && next.t === 'punct' && next.v === ')')) throw new TemplateError(`unexpected ${JSON.stringify(next.v)} in pipeline`);
      break;
    }
    return { decl, assign, cmds };
  }
}

function parsePipeline(src: string): Pipeline {
  const p = new PipeParser(tokenize(src));
  const pipe = p.pipeline();
  if (!p.done()) throw new TemplateError('unexpected tokens after pipeline');
  return pipe;
}

interface RawAction {
  readonly body: string;
}

/** Splits the source into text and action bodies, applying `{{-` / `-}}` trimming. */
function split(src: string): (string | RawAction)[] {
  const parts: (string | RawAction)[] = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    if (open < 0) {
      parts.push(src.slice(i));
      break;
    }
    let text = src.slice(i, open);
    let bodyStart = open + 2;
    if (src.startsWith('- ', bodyStart) || src.startsWith('-\t', bodyStart) || src.startsWith('-\n', bodyStart)) {
      text = text.replace(/\s+$/, '');
      bodyStart += 1;
    }
    const close = src.indexOf('}}', bodyStart);
    if (close < 0) throw new TemplateError('unclosed action');
    let body = src.slice(bodyStart, close);
    let next = close + 2;
    if (/[ \t\n]-$/.test(body)) {
      body = body.slice(0, -1);
      while (next < src.length && /\s/.test(src[next]!)) next++;
    }
    parts.push(text, { body: body.trim() });
    i = next;
  }
  return parts.filter((p) => p !== '');
}

/** Parses a template into a tree. Throws TemplateError. */
export function parseTemplate(src: string): TemplateNode[] {
  const parts = split(src);
  let k = 0;
  type Stop = 'end' | 'else' | 'eof';
  const list = (): { nodes: TemplateNode[]; stop: Stop; elseBody?: string } => {
    const nodes: TemplateNode[] = [];
    while (k < parts.length) {
      const part = parts[k++]!;
      if (typeof part === 'string') {
        nodes.push({ kind: 'text', text: part });
        continue;
      }
      const body = part.body;
      if (body.startsWith('/*')) {
        if (!body.endsWith('*/')) throw new TemplateError('unclosed comment');
        continue;
      }
      const word = /^([a-z]+)\b\s*([\s\S]*)$/.exec(body);
      const kw = word?.[1];
      if (kw === 'end') return { nodes, stop: 'end' };
      if (kw === 'else') return { nodes, stop: 'else', elseBody: word![2]! };
      if (kw === 'if' || kw === 'with' || kw === 'range') nodes.push(block(kw, word![2]!));
      else if (kw && KEYWORDS.has(kw)) throw new TemplateError(`{{${kw}}} is not supported`);
      else nodes.push({ kind: 'action', pipe: parsePipeline(body) });
    }
    return { nodes, stop: 'eof' };
  };
  const block = (kw: 'if' | 'with' | 'range', head: string): TemplateNode => {
    const pipe = parsePipeline(head);
    const body = list();
    let elseNodes: TemplateNode[] = [];
    if (body.stop === 'eof') throw new TemplateError(`{{${kw}}} without {{end}}`);
    if (body.stop === 'else') {
      const chained = /^(if|with)\b\s*([\s\S]*)$/.exec(body.elseBody ?? '');
      if (chained && kw !== 'range') {
        // `else if` / `else with` opens a nested block closed by the same {{end}}.
        elseNodes = [block(chained[1] as 'if' | 'with', chained[2]!)];
      } else {
        if (body.elseBody) throw new TemplateError(`unexpected "${body.elseBody}" after else`);
        const rest = list();
        if (rest.stop !== 'end') throw new TemplateError(`{{${kw}}} without {{end}}`);
        elseNodes = rest.nodes;
      }
    }
    return kw === 'range' ? { kind: 'range', pipe, then: body.nodes, else: elseNodes } : { kind: kw, pipe, then: body.nodes, else: elseNodes };
  };
  const top = list();
  if (top.stop !== 'eof') throw new TemplateError(`unexpected {{${top.stop}}}`);
  return top.nodes;
}
