// The runtime probe: this host has no nfc_runtime module → the pure object, with the reason; the
// BTF walker reads real kernel BTF and a synthetic split module BTF (ABI match and mismatch).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { Manifest } from "../manifest.js";
import { enumValue, probeRuntime, selectObject } from "./probe.js";

/** Split BTF holding one `enum nfc_rt_abi { NFC_RT_ABI_VERSION = abi }` after `pad` base strings. */
function moduleBtf(abi: number, baseStrLen: number): Buffer {
  const strings = Buffer.from("\0nfc_rt_abi\0NFC_RT_ABI_VERSION\0", "latin1");
  const types = Buffer.alloc(12 + 8 + 12); // an INT first (exercises the walker), then the ENUM
  types.writeUInt32LE(0, 0);
  types.writeUInt32LE((1 << 24) | 0, 4); // INT, vlen 0, +4 bytes
  types.writeUInt32LE(4, 8);
  types.writeUInt32LE(0x20, 12); // encoding word of the INT
  const e = Buffer.alloc(20);
  e.writeUInt32LE(baseStrLen + 1, 0);
  e.writeUInt32LE((6 << 24) | 1, 4);
  e.writeUInt32LE(4, 8);
  e.writeUInt32LE(baseStrLen + 12, 12);
  e.writeInt32LE(abi, 16);
  const t = Buffer.concat([types.subarray(0, 16), e]);
  const hdr = Buffer.alloc(24);
  hdr.writeUInt16LE(0xeb9f, 0);
  hdr.writeUInt8(1, 2);
  hdr.writeUInt32LE(24, 4);
  hdr.writeUInt32LE(0, 8);
  hdr.writeUInt32LE(t.length, 12);
  hdr.writeUInt32LE(t.length, 16);
  hdr.writeUInt32LE(strings.length, 20);
  return Buffer.concat([hdr, t, strings]);
}

function baseBtf(): Buffer {
  const strings = Buffer.from("\0base_only\0", "latin1");
  const hdr = Buffer.alloc(24);
  hdr.writeUInt16LE(0xeb9f, 0);
  hdr.writeUInt32LE(24, 4);
  hdr.writeUInt32LE(0, 16);
  hdr.writeUInt32LE(strings.length, 20);
  return Buffer.concat([hdr, strings]);
}

function fakeSysfs(abi: number): string {
  const d = mkdtempSync(join(tmpdir(), "nfc-btf-"));
  mkdirSync(d, { recursive: true });
  const base = baseBtf();
  writeFileSync(join(d, "vmlinux"), base);
  writeFileSync(join(d, "nfc_runtime"), moduleBtf(abi, 11));
  return d;
}

const manifest = {
  nf: "heavy_hitter",
  runtime: "bpf",
  objects: [
    { file: "heavy_hitter.bpf.o", runtime: "bpf", maps: [], schema_hash: "", operations: [] },
    {
      file: "heavy_hitter.kmod.bpf.o",
      runtime: "kmod",
      requires_abi: 2,
      maps: [],
      schema_hash: "",
      operations: [],
    },
  ],
} as unknown as Manifest;

describe("runtime probe", () => {
  test("this host: no module BTF → the pure object, saying why", () => {
    expect(existsSync("/sys/kernel/btf/nfc_runtime")).toBe(false);
    expect(probeRuntime(2)).toEqual({
      runtime: "bpf",
      reason: "module nfc_runtime not loaded (/sys/kernel/btf/nfc_runtime absent)",
    });
    expect(selectObject(manifest).message).toBe(
      "loaded heavy_hitter.bpf.o (pure BPF): module nfc_runtime not loaded (/sys/kernel/btf/nfc_runtime absent)",
    );
  });
  test.runIf(existsSync("/sys/kernel/btf/vmlinux"))(
    "the BTF walker finds an enum in the host's vmlinux BTF",
    () => {
      const v = readFileSync("/sys/kernel/btf/vmlinux");
      expect(enumValue(v, undefined, "bpf_map_type", "BPF_MAP_TYPE_PERCPU_ARRAY")).toBe(6);
      expect(enumValue(v, undefined, "xdp_action", "XDP_TX")).toBe(3);
    },
  );
  test("module BTF with the right ABI → kmod; another ABI → pure with both versions", () => {
    expect(probeRuntime(2, fakeSysfs(2))).toEqual({
      runtime: "kmod",
      reason: "nfc_runtime loaded with ABI 2",
      abi: 2,
    });
    const old = fakeSysfs(1);
    expect(probeRuntime(2, old)).toEqual({
      runtime: "bpf",
      reason: "nfc_runtime ABI 1, object needs ABI 2",
      abi: 1,
    });
    expect(selectObject(manifest, fakeSysfs(2)).message).toBe(
      "loaded heavy_hitter.kmod.bpf.o (kmod kfuncs): nfc_runtime loaded with ABI 2",
    );
    expect(selectObject(manifest, old).file).toBe("heavy_hitter.bpf.o");
  });
});
