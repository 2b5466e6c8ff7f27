/**
 * Loading the Kubernetes client library (an ES module only) when a pull starts. In its own
 * module so that the CLI bundle, which runs from a V8 code cache that has no `import()`,
 * loads it through this file, which Node loads as usual (scripts/bundle-cli.ts). I/O edge.
 */
export type ClientLibrary = typeof import('@kubernetes/client-node');

export function importClientLibrary(): Promise<ClientLibrary> {
  return import('@kubernetes/client-node');
}
