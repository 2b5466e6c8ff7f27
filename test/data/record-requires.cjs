// Preloaded with --require by test/bundle.test.ts: appends every package the process (and its
// worker threads) requires to the file named by KMM_TEST_REQUIRE_LOG, as "<thread> <package>".
const Module = require('node:module');
const { appendFileSync } = require('node:fs');
const { isMainThread, threadId } = require('node:worker_threads');
const require_ = Module.prototype.require;
Module.prototype.require = function (id) {
  if (!id.startsWith('.') && !id.startsWith('/') && !Module.isBuiltin(id)) appendFileSync(process.env.KMM_TEST_REQUIRE_LOG, `${isMainThread ? 'main' : `worker-${threadId}`} ${id}\n`);
  return require_.apply(this, arguments);
};
