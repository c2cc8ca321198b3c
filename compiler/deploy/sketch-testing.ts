// Test helper: a sketch's image as the interpreter holds it (every CPU's bytes, merged), to compare
// with what `nfc sketch … dump` reads from the kernel.
import type { Interpreter } from "../../lang/interp/index.js";
import type { ManifestMap } from "../manifest.js";
import { mergeImages, shardImage, type SketchImage } from "./sketch-image.js";

export function interpImage(it: Interpreter, m: ManifestMap): SketchImage {
  const cpus = m.per_cpu ? it.cpus : 1;
  const bytes = [...Array(cpus).keys()].map((c) => {
    const sk = it.sketches[m.name];
    if (sk && "cells" in sk) return new Uint8Array(sk.cells(c).slice().buffer);
    if (sk) return sk.bitArray(c).slice();
    return it.stores[m.name]!.mapBytes(m.name, c);
  });
  return mergeImages(bytes.map((b) => shardImage(m, b)));
}
