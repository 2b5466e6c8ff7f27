/** First-match kernel mappings (SPEC §4.2). */
import type { KernelMapping } from '../model/kmm.js';
import { compileRe2 } from '../re2/re2-pattern.js';

/** The mapping that applies to a kernel and its index in kernelMappings. */
export interface MatchedMapping {
  readonly index: number;
  readonly mapping: KernelMapping;
}

/**
 * Walks the mappings in order; a non-empty `literal` matches by equality, else a non-empty
 * `regexp` matches anywhere in the kernel string (RE2, unanchored, like Go's MatchString).
 */
export function resolveKernelMapping(mappings: readonly KernelMapping[], kernel: string): MatchedMapping | undefined {
  for (let index = 0; index < mappings.length; index++) {
    const mapping = mappings[index]!;
    if (mapping.literal) {
      if (mapping.literal === kernel) return { index, mapping };
    } else if (mapping.regexp) {
      const re = compileRe2(mapping.regexp);
      if (!('error' in re) && re.test(kernel)) return { index, mapping };
    }
  }
  return undefined;
}
