/**
 * Remembering answers for inputs that repeat (label keys, versions, RE2 answers) without
 * letting hostile input grow memory without bound: past `limit` entries, answers are computed
 * and not kept.
 */
export class BoundedMemo<K, V> {
  private readonly answers = new Map<K, V>();

  /** @param limit the most answers kept */
  constructor(private readonly limit: number) {}

  /** The answer for `key`, computed by `compute` the first time (and kept while there is room). */
  get(key: K, compute: (key: K) => V): V {
    const known = this.answers.get(key);
    if (known !== undefined || this.answers.has(key)) return known as V;
    const value = compute(key);
    if (this.answers.size < this.limit) this.answers.set(key, value);
    return value;
  }
}
