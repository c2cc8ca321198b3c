// Test runner configuration: every `*.test.ts` outside node_modules/dist, each file in its own
// forked process (kernel tests hold BPF objects and a runner child process).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**", "build/**", "out/**"],
    pool: "forks",
    fileParallelism: true,
    // Kernel tests compile with clang and load through the verifier: seconds, not milliseconds.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 10_000,
  },
});
