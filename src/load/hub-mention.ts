/**
 * Whether a file may make the fleet a hub-and-spoke one, from its text: a hub renders for
 * its spokes and reads their inventories (SPEC §5.7), so such a fleet is compiled as one
 * unit. Decided from text, not from the model, on purpose: splitting happens before parsing,
 * and the input stat cache keeps this answer per file so that an unchanged file is not even
 * read (parsing every file to split would cost what units save). The test is conservative:
 * a false "yes" only compiles the fleet whole, with the same output.
 */

/** A `hub:` key anywhere, or a ManagedClusterModule. */
const HUB_AND_SPOKE = /ManagedClusterModule|\bhub["']?\s*:/;

/** True when `text` may make the fleet a hub-and-spoke one (then it is compiled whole). */
export function mentionsHub(text: string): boolean {
  // includes() rules most files out faster than the alternation scans them.
  return (text.includes('hub') || text.includes('ManagedClusterModule')) && HUB_AND_SPOKE.test(text);
}
