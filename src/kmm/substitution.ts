/**
 * Variable substitution in image names and sign fields (SPEC §4.3): POSIX-shell-like
 * `$VAR`, `${VAR}`, `${VAR:-d}`, `${VAR-d}`, `${VAR:+a}`, `${VAR+a}` and `$$`.
 */

/** The outcome of substituting one string. */
export interface Substitution {
  readonly value: string;
  /** Names that were not in the variable set and became "" (each once, in order of use). */
  readonly unknown: readonly string[];
  /** Set when the text cannot be substituted (an unclosed "${"). */
  readonly error?: string;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/** Finds the "}" closing the "${" whose body starts at `from`, honouring nested "${...}". */
function findClose(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/**
 * Substitutes variables in `text`. An unknown variable becomes "" and is reported in
 * `unknown`; with a `-`/`+` operator the operator decides, as in the shell.
 */
export function substituteVariables(text: string, vars: Readonly<Record<string, string>>): Substitution {
  const unknown: string[] = [];
  const note = (name: string) => {
    if (!unknown.includes(name)) unknown.push(name);
  };
  const has = (name: string) => Object.prototype.hasOwnProperty.call(vars, name);

  const run = (input: string): { value: string; error?: string } => {
    let out = '';
    let i = 0;
    while (i < input.length) {
      const c = input[i]!;
      if (c !== '$') {
        out += c;
        i++;
        continue;
      }
      const next = input[i + 1];
      if (next === '$') {
        out += '$';
        i += 2;
        continue;
      }
      if (next === '{') {
        const close = findClose(input, i + 2);
        if (close < 0) return { value: out, error: `unclosed "\${" at character ${i + 1}` };
        const body = input.slice(i + 2, close);
        const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([\s\S]*))?$/.exec(body);
        if (!m) return { value: out, error: `bad substitution "\${${body}}"` };
        const [, name, op, word] = m as unknown as [string, string, string | undefined, string | undefined];
        const set = has(name!);
        const value = set ? vars[name!]! : '';
        let result: string;
        if (op === undefined) {
          if (!set) note(name!);
          result = value;
        } else {
          const useWord =
            op === ':-' ? value === '' : op === '-' ? !set : op === ':+' ? value !== '' : /* '+' */ set;
          if (useWord) {
            const inner = run(word ?? '');
            if (inner.error) return { value: out, error: inner.error };
            result = inner.value;
          } else {
            result = op.endsWith('-') ? value : '';
          }
        }
        out += result;
        i = close + 1;
        continue;
      }
      if (next !== undefined && NAME_START.test(next)) {
        let j = i + 1;
        while (j < input.length && NAME_CHAR.test(input[j]!)) j++;
        const name = input.slice(i + 1, j);
        if (has(name)) out += vars[name];
        else note(name);
        i = j;
        continue;
      }
      out += '$';
      i++;
    }
    return { value: out };
  };

  const r = run(text);
  return r.error ? { value: r.value, unknown, error: r.error } : { value: r.value, unknown };
}
