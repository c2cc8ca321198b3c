// The loader's runtime probe: may this host run the kmod object? runtime-kmod/CONTEXT.md's order:
//   1. /sys/kernel/btf/nfc_runtime exists (module loaded WITH BTF; without it the kfuncs do not exist);
//   2. its `enum nfc_rt_abi` member NFC_RT_ABI_VERSION equals the ABI the object needs
//      (manifest `requires_abi`).
// The module BTF is parsed here in TypeScript (no bpftool dependency, no root needed: the sysfs
// file is world-readable). It is split BTF on top of /sys/kernel/btf/vmlinux: a name offset
// below the base's string-section length is a base string, else a module string.
import { objectFile } from "../names/files.js";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Manifest } from "../manifest.js";

export const BTF_DIR = "/sys/kernel/btf";
export const MODULE = "nfc_runtime";

interface BtfRaw {
  types: Buffer;
  strings: Buffer;
}

function btfSections(buf: Buffer): BtfRaw {
  if (buf.length < 24 || buf.readUInt16LE(0) !== 0xeb9f) throw new Error("not BTF (bad magic)");
  const hdrLen = buf.readUInt32LE(4);
  const typeOff = buf.readUInt32LE(8);
  const typeLen = buf.readUInt32LE(12);
  const strOff = buf.readUInt32LE(16);
  const strLen = buf.readUInt32LE(20);
  return {
    types: buf.subarray(hdrLen + typeOff, hdrLen + typeOff + typeLen),
    strings: buf.subarray(hdrLen + strOff, hdrLen + strOff + strLen),
  };
}

/** Bytes after the 12-byte `struct btf_type` for each kind (linux/btf.h). */
function extraBytes(kind: number, vlen: number): number {
  switch (kind) {
    case 1: // INT
    case 14: // VAR
    case 17: // DECL_TAG
      return 4;
    case 3: // ARRAY
      return 12;
    case 4: // STRUCT
    case 5: // UNION
    case 15: // DATASEC
    case 19: // ENUM64
      return 12 * vlen;
    case 6: // ENUM
    case 13: // FUNC_PROTO
      return 8 * vlen;
    default: // PTR FWD TYPEDEF VOLATILE CONST RESTRICT FUNC FLOAT TYPE_TAG
      return 0;
  }
}

/** Value of enumerator `member` of enum `name` in split BTF `mod` over `base`, or undefined. */
export function enumValue(
  mod: Buffer,
  base: Buffer | undefined,
  name: string,
  member: string,
): number | undefined {
  const m = btfSections(mod);
  const baseStrings = base ? btfSections(base).strings : Buffer.alloc(0);
  const str = (off: number): string => {
    const [s, o] = off < baseStrings.length ? [baseStrings, off] : [m.strings, off - baseStrings.length];
    const end = s.indexOf(0, o);
    return s.subarray(o, end < 0 ? s.length : end).toString("latin1");
  };
  const t = m.types;
  for (let p = 0; p + 12 <= t.length;) {
    const nameOff = t.readUInt32LE(p);
    const info = t.readUInt32LE(p + 4);
    const kind = (info >>> 24) & 0x1f;
    const vlen = info & 0xffff;
    if (kind === 6 && str(nameOff) === name) {
      for (let i = 0; i < vlen; i++) {
        const q = p + 12 + 8 * i;
        if (str(t.readUInt32LE(q)) === member) return t.readInt32LE(q + 4);
      }
    }
    p += 12 + extraBytes(kind, vlen);
  }
  return undefined;
}

export interface Probe {
  runtime: "kmod" | "bpf";
  reason: string;
  /** The module's ABI version when its BTF was readable. */
  abi?: number;
}

/** Can an object needing `requiredAbi` use the kmod runtime here? */
export function probeRuntime(requiredAbi: number, btfDir = BTF_DIR): Probe {
  const modPath = join(btfDir, MODULE);
  if (!existsSync(modPath))
    return { runtime: "bpf", reason: `module ${MODULE} not loaded (${modPath} absent)` };
  let abi: number | undefined;
  try {
    const base = existsSync(join(btfDir, "vmlinux")) ? readFileSync(join(btfDir, "vmlinux")) : undefined;
    abi = enumValue(readFileSync(modPath), base, "nfc_rt_abi", "NFC_RT_ABI_VERSION");
  } catch (e) {
    return { runtime: "bpf", reason: `${modPath} unreadable: ${(e as Error).message}` };
  }
  if (abi === undefined) return { runtime: "bpf", reason: `${MODULE} BTF has no enum nfc_rt_abi` };
  if (abi !== requiredAbi)
    return { runtime: "bpf", reason: `${MODULE} ABI ${abi}, object needs ABI ${requiredAbi}`, abi };
  return { runtime: "kmod", reason: `${MODULE} loaded with ABI ${abi}`, abi };
}

export interface Selection {
  file: string;
  runtime: "kmod" | "bpf";
  reason: string;
  /** One line for the user: `loaded x.bpf.o (pure BPF): module nfc_runtime not loaded (...)`. */
  message: string;
}

/** Picks the object to load from a manifest (`objects`, or the manifest's own object). */
export function selectObject(m: Manifest, btfDir = BTF_DIR): Selection {
  const objects = m.objects ?? [
    {
      file: objectFile(m.nf, m.runtime),
      runtime: m.runtime,
      ...(m.requires_abi !== undefined ? { requires_abi: m.requires_abi } : {}),
    },
  ];
  const kmod = objects.find((o) => o.runtime === "kmod");
  const pure = objects.find((o) => o.runtime === "bpf");
  const probe = kmod
    ? probeRuntime(kmod.requires_abi ?? 0, btfDir)
    : { runtime: "bpf" as const, reason: "no kmod object built (no operation chose kmod)" };
  const pick = probe.runtime === "kmod" && kmod ? kmod : pure;
  if (!pick) {
    const file = kmod?.file ?? "?";
    return {
      file,
      runtime: "kmod",
      reason: probe.reason,
      message: `cannot load ${file} (kmod only): ${probe.reason}`,
    };
  }
  const label = pick.runtime === "kmod" ? "kmod kfuncs" : "pure BPF";
  return {
    file: pick.file,
    runtime: pick.runtime,
    reason: probe.reason,
    message: `loaded ${pick.file} (${label}): ${probe.reason}`,
  };
}
