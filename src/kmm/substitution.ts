/**
 * Variable substitution in image names and sign fields (SPEC §4.3), exactly as KMM 1.1 does
 * it: KMM runs github.com/a8m/envsubst (v1.4.2, no restrictions), whose lexer and parser
 * this follows token for token. So `$VAR`, `${VAR}`, `${VAR-d}`, `${VAR=d}`, `${VAR:-d}`,
 * `${VAR:=d}`, `${VAR+a}`, `${VAR:+a}` and `$$` mean what they mean there — including where
 * that is not the shell's: `${VAR:+a}` gives `a` when VAR is set even if empty, `${VAR:-}` is
 * VAR, a default is taken as text except when it is a single `$NAME`, and a line break or the
 * end of the text inside `${` is an error ("closing brace expected"). `conformance/` compares
 * this with KMM's own ReplaceInTemplates on generated templates.
 */
import { hasOwnProperty } from '../base/own-property.js';

/** The outcome of substituting one string. */
export interface Substitution {
  readonly value: string;
  /** Names that were not in the variable set and became "" (each once, in order of use). */
  readonly unknown: readonly string[];
  /** Set when the text cannot be substituted (an unclosed "${"). */
  readonly error?: string;
}

/** What is said where KMM's envsubst would not finish. */
const UNENDING = 'KMM\'s substitution (a8m/envsubst) never finishes on this text, so its operator would hang on the Module; close each "${" before the next "$"';

/** envsubst's item types, in its order (the evaluation compares them). */
const enum Item {
  Error = 0,
  EOF,
  Text,
  Plus,
  Dash,
  Equals,
  ColonEquals,
  ColonDash,
  ColonPlus,
  Variable,
  LeftDelim,
  RightDelim,
}

interface Token {
  readonly typ: Item;
  readonly val: string;
}

const EOF = -1;
const LETTER_OR_DIGIT = /^[\p{L}\p{Nd}_]$/u;

/** envsubst's isAlphaNumeric: "_", a Unicode letter or a decimal digit. */
function isAlphaNumeric(r: number): boolean {
  return r !== EOF && LETTER_OR_DIGIT.test(String.fromCodePoint(r));
}

const DOLLAR = 0x24;
const OPEN = 0x7b;
const CLOSE = 0x7d;

type State = (() => State) | null;

/** envsubst's lexer (parse/lex.go), run to the end: the list of items it emits. */
function lex(input: string): Token[] {
  const items: Token[] = [];
  let start = 0;
  let pos = 0;
  let lastPos = 0;
  let width = 0;
  let subsDepth = 0;

  const next = (): number => {
    if (pos >= input.length) {
      width = 0;
      return EOF;
    }
    const r = input.codePointAt(pos)!;
    width = r > 0xffff ? 2 : 1;
    pos += width;
    return r;
  };
  const backup = () => void (pos -= width);
  const peek = () => {
    const r = next();
    backup();
    return r;
  };
  const emit = (typ: Item) => {
    items.push({ typ, val: input.slice(start, pos) });
    lastPos = start;
    start = pos;
  };
  const errorf = (message: string): State => {
    items.push({ typ: Item.Error, val: message });
    return null;
  };
  const endOfLine = (r: number) => r === 0x0d || r === 0x0a;
  const afterDelim = () => input.startsWith('${', lastPos);

  const lexText = (): State => {
    for (;;) {
      const r = next();
      if (r === EOF) break;
      if (r !== DOLLAR) continue;
      pos--;
      if (pos > start) emit(Item.Text);
      pos++;
      const r2 = peek();
      if (r2 === DOLLAR) {
        start = pos; // drop the first "$"
        next();
        emit(Item.Text);
      } else if (r2 === OPEN) {
        next();
        subsDepth++;
        emit(Item.LeftDelim);
        return lexSubstitutionOperator;
      } else if (isAlphaNumeric(r2)) {
        return lexVariable;
      }
    }
    if (pos > start) emit(Item.Text);
    emit(Item.EOF);
    return null;
  };

  const lexVariable = (): State => {
    for (;;) {
      const r = next();
      if (!isAlphaNumeric(r)) {
        backup();
        break;
      }
    }
    const v = input.slice(start, pos);
    if (v === '_' || v === '$_') return lexText;
    emit(Item.Variable);
    return subsDepth > 0 ? lexSubstitutionOperator : lexText;
  };

  const lexSubstitutionOperator = (): State => {
    const r = next();
    if (r === CLOSE) {
      subsDepth--;
      emit(Item.RightDelim);
      return lexText;
    }
    if (r === EOF || endOfLine(r)) return errorf('closing brace expected');
    if (isAlphaNumeric(r) && afterDelim()) return lexVariable;
    if (r === 0x2b) emit(Item.Plus);
    else if (r === 0x2d) emit(Item.Dash);
    else if (r === 0x3d) emit(Item.Equals);
    else if (r === 0x3a) {
      const r2 = next();
      if (r2 === 0x2d) emit(Item.ColonDash);
      else if (r2 === 0x3d) emit(Item.ColonEquals);
      else if (r2 === 0x2b) emit(Item.ColonPlus);
    }
    return lexSubstitution;
  };

  const lexSubstitution = (): State => {
    const r = next();
    if (r === CLOSE) {
      subsDepth--;
      emit(Item.RightDelim);
      return lexText;
    }
    if (r === EOF || endOfLine(r)) return errorf('closing brace expected');
    if ((isAlphaNumeric(r) && afterDelim()) || r === DOLLAR) return lexVariable;
    emit(Item.Text);
    return lexSubstitution;
  };

  // Each state consumes input or ends, so this runs at most a few times the input length.
  for (let state: State = lexText; state !== null; ) state = state();
  return items;
}

type Node =
  | { readonly kind: 'text'; text: string }
  | { readonly kind: 'variable'; readonly ident: string }
  | { readonly kind: 'substitution'; readonly op: Item; readonly variable: string; readonly fallback?: Node };

/** envsubst's parser (parse/parse.go): the nodes, or its error. */
function parse(input: string): { nodes: Node[] } | { error: string } {
  const tokens = lex(input);
  let i = 0;
  // After the items, the closed channel gives zero items: an Error with an empty message.
  const nextToken = (): Token => tokens[i++] ?? { typ: Item.Error, val: '' };
  const peekToken = (): Token => tokens[i] ?? { typ: Item.Error, val: '' };
  const variable = (val: string): Node => ({ kind: 'variable', ident: val.startsWith('$') ? val.slice(1) : val });
  const nodes: Node[] = [];
  for (;;) {
    const t = nextToken();
    if (t.typ === Item.EOF) break;
    if (t.typ === Item.Error) return { error: t.val };
    if (t.typ === Item.Variable) {
      nodes.push(variable(t.val));
      continue;
    }
    if (t.typ === Item.LeftDelim && peekToken().typ === Item.Variable) {
      const name = nextToken().val;
      let op = Item.Error;
      let fallback: Node | undefined;
      for (;;) {
        const a = nextToken();
        if (a.typ === Item.RightDelim) break;
        if (a.typ === Item.Error) return { error: a.val };
        if (a.typ === Item.Variable) fallback = variable(a.val);
        else if (a.typ === Item.Text) {
          const text: Node = { kind: 'text', text: a.val };
          // "patch to accept all kind of chars": what follows is text, up to the "}".
          while (![Item.RightDelim, Item.Error, Item.EOF].includes(peekToken().typ)) text.text += nextToken().val;
          fallback = text;
        } else op = a.typ;
      }
      nodes.push({ kind: 'substitution', op, variable: name, ...(fallback ? { fallback } : {}) });
      continue;
    }
    nodes.push({ kind: 'text', text: t.val });
  }
  return { nodes };
}

/**
 * Substitutes variables in `text` as KMM does. A variable that is not set becomes "" and is
 * reported in `unknown` when its own value is used (not when an operator's default or
 * alternative is taken instead).
 */
export function substituteVariables(text: string, vars: Readonly<Record<string, string>>): Substitution {
  const parsed = parse(text);
  // An error without a message is where envsubst's parser reads past the end of the closed
  // token channel: KMM's envsubst never returns there (conformance/: kmm.substitution-hang).
  if ('error' in parsed) return { value: '', unknown: [], error: parsed.error || UNENDING };
  const unknown: string[] = [];
  const has = (name: string) => hasOwnProperty(vars, name);
  const get = (name: string) => (has(name) ? vars[name]! : '');
  const use = (name: string) => {
    if (!has(name) && name !== '' && !unknown.includes(name)) unknown.push(name);
    return get(name);
  };
  const evaluate = (n: Node): string => {
    if (n.kind === 'text') return n.text;
    if (n.kind === 'variable') return use(n.ident);
    if (n.op >= Item.Plus && n.fallback) {
      if (n.op === Item.ColonDash || n.op === Item.ColonEquals) return get(n.variable) !== '' ? get(n.variable) : evaluate(n.fallback);
      if (n.op === Item.Plus || n.op === Item.ColonPlus) return has(n.variable) ? evaluate(n.fallback) : '';
      if (!has(n.variable)) return evaluate(n.fallback);
    }
    return use(n.variable);
  };
  return { value: parsed.nodes.map(evaluate).join(''), unknown };
}
