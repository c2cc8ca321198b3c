// Output file names. Every file nfc writes for an NF is `<stem>.<ext>` (`.bpf.c`, `.bpf.o`,
// `.kmod.bpf.o`, `.manifest.json`); the stem is the NF's name, bounded so that no name the checker
// accepts makes a path component longer than NAME_MAX (255 bytes, ENAMETOOLONG): a name over 64
// characters keeps its first 55 and adds `-` and 8 hex digits of a hash of the whole name
// (deterministic; two long names that share 55 characters still get two files).
import { fnv1a } from "./kernel.js";

export const STEM_MAX = 64;

export function fileStem(nf: string): string {
  if (nf.length <= STEM_MAX) return nf;
  return `${nf.slice(0, STEM_MAX - 9)}-${fnv1a(nf).toString(16).padStart(8, "0")}`;
}

/** An object's file name: `<stem>.bpf.o` (pure) or `<stem>.kmod.bpf.o`. */
export function objectFile(nf: string, runtime: "bpf" | "kmod"): string {
  return runtime === "kmod" ? `${fileStem(nf)}.kmod.bpf.o` : `${fileStem(nf)}.bpf.o`;
}
