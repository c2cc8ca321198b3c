// Runtime values of the reference interpreter and their C memory layout. An integer is a bigint
// (already reduced to its width), a bool a boolean, and every other data value (ip4, ip6, mac,
// bytes[N], structs, flow5) the Uint8Array of its exact C memory bytes (lang/types.ts layout,
// zero padding). Locals, map keys and values are stored as those bytes, so "a reference into a
// map value" is simply the stored Uint8Array.
//
// One layout exception, shared with the C (stdlib/include/nf/common.h): flow5's `sport`/`dport`
// are stored big-endian (as in the packet) although the language reads them as host numbers.
import type { Value } from "../checked.js";
import { assertNever, sizeOf, type Ty } from "../types.js";

export type RV = bigint | boolean | Uint8Array;

export function maskOf(bits: number): bigint {
  return (1n << BigInt(bits)) - 1n;
}

/** The type a value of `t` has once a reference is read (`ref<V>` reads as V). */
export function dataTy(t: Ty): Ty {
  return t.kind === "ref" ? t.inner : t;
}

/** True for the fields C stores in network order although they are integers (flow5 ports). */
export function bigEndianField(struct: Ty & { kind: "struct" }, field: string): boolean {
  return struct.name === "flow5" && (field === "sport" || field === "dport");
}

export function readUint(buf: Uint8Array, off: number, bytes: number, bigEndian: boolean): bigint {
  let v = 0n;
  for (let i = 0; i < bytes; i++) {
    const b = buf[bigEndian ? off + i : off + bytes - 1 - i] ?? 0;
    v = (v << 8n) | BigInt(b);
  }
  return v;
}

export function writeUint(buf: Uint8Array, off: number, bytes: number, v: bigint, bigEndian: boolean): void {
  let x = v & maskOf(bytes * 8);
  for (let i = 0; i < bytes; i++) {
    buf[bigEndian ? off + bytes - 1 - i : off + i] = Number(x & 0xffn);
    x >>= 8n;
  }
}

/** Reads a value of type `t` stored at `buf[off..]` (a copy for byte-like types). */
export function decode(t: Ty, buf: Uint8Array, off = 0, bigEndian = false): RV {
  const d = dataTy(t);
  switch (d.kind) {
    case "int":
      return readUint(buf, off, d.bits / 8, bigEndian);
    case "bool":
      return buf[off] !== 0;
    case "ip4":
    case "ip6":
    case "mac":
    case "bytes":
    case "struct":
      return buf.slice(off, off + sizeOf(d));
    case "header":
    case "option":
    case "ref":
    case "void":
      throw new Error(`interp: cannot decode a value of kind ${d.kind}`);
    default:
      return assertNever(d);
  }
}

/** Writes `v` (of type `t`) into `buf[off..]`. */
export function store(t: Ty, buf: Uint8Array, off: number, v: RV, bigEndian = false): void {
  const d = dataTy(t);
  switch (d.kind) {
    case "int":
      writeUint(buf, off, d.bits / 8, asInt(v), bigEndian);
      return;
    case "bool":
      buf[off] = v === true ? 1 : 0;
      return;
    case "ip4":
    case "ip6":
    case "mac":
    case "bytes":
    case "struct": {
      const b = asBytes(v);
      const n = sizeOf(d);
      if (b.length !== n) throw new Error(`interp: ${d.kind} value has ${b.length} bytes, expected ${n}`);
      buf.set(b, off);
      return;
    }
    case "header":
    case "option":
    case "ref":
    case "void":
      throw new Error(`interp: cannot store a value of kind ${d.kind}`);
    default:
      return assertNever(d);
  }
}

/** A fresh buffer holding `v` in the C layout of `t`. */
export function encode(t: Ty, v: RV): Uint8Array {
  const buf = new Uint8Array(Math.max(sizeOf(dataTy(t)), 0));
  store(t, buf, 0, v);
  return buf;
}

/** A checker constant (checked.ts Value) as a runtime value of type `t`. */
export function fromValue(t: Ty, v: Value): RV {
  const d = dataTy(t);
  switch (v.kind) {
    case "int":
      return d.kind === "int" ? v.v & maskOf(d.bits) : v.v;
    case "bool":
      return v.v;
    case "bytes":
      return Uint8Array.from(v.v);
    case "struct": {
      if (d.kind !== "struct") throw new Error(`interp: struct value for a ${d.kind}`);
      const buf = new Uint8Array(d.size);
      for (const f of d.fields) {
        const fv = v.fields[f.name];
        if (fv !== undefined) store(f.ty, buf, f.offset, fromValue(f.ty, fv), bigEndianField(d, f.name));
      }
      return buf;
    }
    default:
      return assertNever(v);
  }
}

export function asInt(v: RV): bigint {
  if (typeof v !== "bigint") throw new Error(`interp: expected an integer, got ${typeof v}`);
  return v;
}

export function asBool(v: RV): boolean {
  if (typeof v !== "boolean") throw new Error(`interp: expected a bool, got ${typeof v}`);
  return v;
}

export function asBytes(v: RV): Uint8Array {
  if (!(v instanceof Uint8Array)) throw new Error(`interp: expected bytes, got ${typeof v}`);
  return v;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function hexKey(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}

/** Does a runtime value equal a checker constant (parse-extension conditions)? */
export function valueMatches(v: RV, c: Value): boolean {
  switch (c.kind) {
    case "int":
      return typeof v === "bigint" && v === c.v;
    case "bool":
      return v === c.v;
    case "bytes":
      return v instanceof Uint8Array && bytesEqual(v, Uint8Array.from(c.v));
    case "struct":
      return false;
    default:
      return assertNever(c);
  }
}

/** Throws a RangeError unless `cpu` is one of the interpreter's CPUs. */
export function checkCpu(cpu: number, cpus: number): void {
  if (!Number.isInteger(cpu) || cpu < 0 || cpu >= cpus) {
    throw new RangeError(`interp: cpu ${cpu} not in 0..${cpus - 1}`);
  }
}
