/**
 * The argument `lint` gives its worker threads (src/cli/parallel.ts): dist/cli.js tells a worker thread from the
 * command by it, without loading node:worker_threads (≈ 2 ms) in every one-shot process.
 */
export const LINT_WORKER_ARG = '--citus-rollups-lint-worker';
