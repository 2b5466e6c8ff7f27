/**
 * Writing and reading keys that come from input (labels, feature names, map keys) without
 * touching the prototype: `o[key] = v` with key `__proto__` would set the prototype instead
 * of a property, and `key in o` sees inherited names such as `constructor`.
 */

/** Sets `target[key]` as an own, enumerable property, whatever the key. */
export function setOwnProperty<T = unknown>(target: object, key: string, value: T): void {
  // Only `__proto__` is an accessor on Object.prototype; any other key assigns as data (and fast).
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else (target as Record<string, unknown>)[key] = value;
}

/** Whether `o` has `key` as its own property (never an inherited one). */
export function hasOwnProperty(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}
