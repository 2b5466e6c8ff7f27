/**
 * Fields the API server refuses to change on an existing object: an apply that changes one
 * fails ("field is immutable"), and with Argo CD sync waves or Flux `wait` everything after
 * it waits. `diff` reports such a change so that a reviewer sees it before the sync does.
 */

type Path = readonly string[];

/** Per kind, the paths that cannot change once the object exists. */
const IMMUTABLE_PATHS: Readonly<Record<string, readonly Path[]>> = {
  DaemonSet: [['spec', 'selector']],
  Job: [['spec', 'selector'], ['spec', 'template'], ['spec', 'completions'], ['spec', 'completionMode']],
};

function valueAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const seg of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[seg] : undefined;
  return v;
}

/** The immutable fields (dotted paths) that differ between the two versions of one object. */
export function immutableFieldChanges(kind: string, before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const paths = [...(IMMUTABLE_PATHS[kind] ?? [])];
  // A ConfigMap or Secret marked immutable keeps its data.
  if ((kind === 'ConfigMap' || kind === 'Secret') && before.immutable === true) paths.push(['data'], ['binaryData'], ['immutable']);
  return paths.filter((p) => JSON.stringify(valueAt(before, p)) !== JSON.stringify(valueAt(after, p))).map((p) => p.join('.'));
}
