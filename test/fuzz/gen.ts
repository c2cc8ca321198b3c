// The valid generator's program text alone, with the CI's feature set (known-open.ts): what
// test/fuzz/invalid-gen.ts mutates. The generator itself is test/fuzz/gen/.
import { generateProgram as generate } from "./gen/index.js";
import { offFeatures } from "./known-open.js";

export function generateProgram(seed: number): string {
  return generate(seed, offFeatures()).source;
}
