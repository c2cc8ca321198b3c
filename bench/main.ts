// `npm run bench`: the project's benchmarks. Performance claims live here, never in unit tests.
import { benchCheck, benchCheckCli } from "./check-speed.js";

function main(): void {
  const only = process.argv[2];
  if (!only || only === "check") {
    const r = benchCheck();
    console.log(`nfc check, ${r.lines}-line program, in-process: median ${r.medianMs.toFixed(1)} ms (min ${r.minMs.toFixed(1)}, max ${r.maxMs.toFixed(1)}; 21 rounds after 3 warm-up)`);
    const c = benchCheckCli();
    console.log(`nfc check, ${r.lines}-line program, whole CLI process: median ${c.medianMs.toFixed(0)} ms (min ${c.minMs.toFixed(0)}, max ${c.maxMs.toFixed(0)}; 7 runs; exit ${c.exitCode})`);
  }
}

main();
