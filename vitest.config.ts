// Test runner configuration: every `*.test.ts` in the source folders, each file in its own forked
// process (kernel tests hold BPF objects and a runner child process). The include list names the
// folders on purpose: a `**` glob from the root walks build/vm (kernel trees full of symlinks) and
// hangs test collection.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    dir: ".",
    include: ["{lang,compiler,stdlib,runtime-kmod,test,bench,examples}/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**", "build/**", "out/**"],
    pool: "forks",
    fileParallelism: true,
    // Kernel tests compile with clang and load through the verifier: seconds, not milliseconds.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 10_000,
  },
});
