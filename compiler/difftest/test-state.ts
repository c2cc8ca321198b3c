// Evaluates user-test expectations (lang/checked.ts TestExpr) against a state snapshot
// (state.ts: the same flat form for the interpreter and the kernel), so both sides are read by
// one rule. Queries: table `contains`/`get` on CPU 0's shard (test packets run on CPU 0; arrays:
// every index < capacity exists, absent = zeros), lpm by longest prefix over the entries,
// count-min `estimate` = min over rows of the cell at nf_dh_index(nfHash64(key, seed(name)), i,
// width-1) with the cells summed over CPUs, bloom = every probed bit set in the OR over CPUs,
// counters = the sum over CPUs (wrapping at 2^64). Plug-in kinds (`read`): the kind's own
// read-only op on a store rebuilt from the snapshot (KindStore.load), on CPU 0.
import type { StateDecl, TestExpr } from "../../lang/checked.js";
import { dhIndex, nfHash64, structureSeed } from "../../lang/hash.js";
import { binary, unary } from "../../lang/interp/ints.js";
import { bigEndianField, decode, encode, fromValue, type RV } from "../../lang/interp/layout.js";
import { STORES } from "../../lang/interp/kinds/index.js";
import { toHex } from "../kernel/runner.js";
import type { Snapshot } from "./state.js";

/** `undefined` = an absent `get`. */
export type TestRV = RV | undefined;

const fromHex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, "hex"));

function shards(snap: Snapshot, prefix: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let c = 0; snap.has(`${prefix}@${c}`); c++) out.push(snap.get(`${prefix}@${c}`)!);
  return out;
}

function tableValue(snap: Snapshot, d: StateDecl, key: Uint8Array): Uint8Array | undefined {
  if (d.kind === "lpm") {
    const addrLen = key.length;
    let best: { len: number; value: Uint8Array } | undefined;
    for (const [k, v] of snap) {
      const m = /^(.*)\[([0-9a-f]*)\]@0$/.exec(k);
      if (!m || m[1] !== d.name) continue;
      const kb = fromHex(m[2]!);
      const len = new DataView(kb.buffer).getUint32(0, true);
      const addr = kb.subarray(4, 4 + addrLen);
      let match = true;
      for (let bit = 0; bit < len && match; bit++) {
        const mask = 0x80 >> (bit % 8);
        if ((addr[bit >> 3]! & mask) !== (key[bit >> 3]! & mask)) match = false;
      }
      if (match && (!best || len > best.len)) best = { len, value: v };
    }
    return best?.value;
  }
  const v = snap.get(`${d.name}[${toHex(key)}]@0`);
  if (v || d.kind !== "array") return v;
  const index = new DataView(key.buffer, key.byteOffset).getUint32(0, true);
  return index < Number(d.params.capacity) ? new Uint8Array(valueSize(d)) : undefined;
}

function valueSize(d: StateDecl): number {
  return encode(d.value!, fromValue(d.value!, zeroOf(d.value!))).length;
}

function zeroOf(t: NonNullable<StateDecl["value"]>): import("../../lang/checked.js").Value {
  switch (t.kind) {
    case "int":
      return { kind: "int", v: 0n };
    case "bool":
      return { kind: "bool", v: false };
    case "struct":
      return { kind: "struct", fields: Object.fromEntries(t.fields.map((f) => [f.name, zeroOf(f.ty)])) };
    case "ip4":
    case "ip6":
    case "mac":
    case "bytes":
      return {
        kind: "bytes",
        v: new Array<number>(
          t.kind === "ip4" ? 4 : t.kind === "ip6" ? 16 : t.kind === "mac" ? 6 : t.len,
        ).fill(0),
      };
    default:
      throw new Error(`usertests: no zero value for ${t.kind}`);
  }
}

function estimate(snap: Snapshot, d: StateDecl, key: Uint8Array): bigint {
  const rows = Number(d.params.rows);
  const width = Number(d.params.width);
  const cells = shards(snap, d.name);
  const h = nfHash64(key, structureSeed(d.name));
  let min: bigint | undefined;
  for (let i = 0; i < rows; i++) {
    const idx = i * width + dhIndex(h, i, width - 1);
    let sum = 0n;
    for (const c of cells) sum += BigInt(new DataView(c.buffer, c.byteOffset).getUint32(idx * 4, true));
    if (min === undefined || sum < min) min = sum;
  }
  return min ?? 0n;
}

function bloom(snap: Snapshot, d: StateDecl, key: Uint8Array): boolean {
  const bits = shards(snap, d.name);
  const h = nfHash64(key, structureSeed(d.name));
  for (let i = 0; i < Number(d.params.hashes); i++) {
    const b = dhIndex(h, i, Number(d.params.bits) - 1);
    if (!bits.some((s) => ((s[b >> 3] ?? 0) >> (b & 7)) & 1)) return false;
  }
  return true;
}

export function evalTestExpr(e: TestExpr, snap: Snapshot, states: readonly StateDecl[]): TestRV {
  switch (e.kind) {
    case "lit":
      return fromValue(e.ty, e.value);
    case "counter": {
      const sum = shards(snap, `counter ${e.name}`).reduce(
        (a, v) => a + new DataView(v.buffer, v.byteOffset).getBigUint64(0, true),
        0n,
      );
      return sum & 0xffffffffffffffffn;
    }
    case "query": {
      const d = states.find((s) => s.name === e.state)!;
      const key = encode(d.key, fromValue(d.key, e.key));
      if (e.op === "estimate") return estimate(snap, d, key);
      if (d.family === "sketch") return bloom(snap, d, key);
      const v = tableValue(snap, d, key);
      if (e.op === "contains") return v !== undefined;
      return v === undefined ? undefined : decode(d.value!, v);
    }
    case "read": {
      const d = states.find((s) => s.name === e.state)!;
      const r = readOp(
        snap,
        d,
        e.op,
        e.args.map((a) => encode(a.ty, fromValue(a.ty, a.value))),
      );
      // A present option comes back as the element's C bytes: read it at the query's type.
      return r instanceof Uint8Array ? decode(e.ty, r) : r;
    }
    case "field": {
      const base = evalTestExpr(e.base, snap, states);
      if (base === undefined || e.base.ty.kind !== "struct") return undefined;
      const f = e.base.ty.fields.find((x) => x.name === e.field)!;
      const buf = base instanceof Uint8Array ? base : encode(e.base.ty, base);
      return decode(f.ty, buf, f.offset, bigEndianField(e.base.ty, e.field));
    }
    case "unary": {
      const v = evalTestExpr(e.operand, snap, states);
      return v === undefined ? undefined : unary(e.op, e.ty, v);
    }
    case "binary": {
      if (e.op === "&&" || e.op === "||") {
        const l = evalTestExpr(e.left, snap, states) === true;
        if (e.op === "&&" ? !l : l) return l;
        return evalTestExpr(e.right, snap, states) === true;
      }
      const l = evalTestExpr(e.left, snap, states);
      const r = evalTestExpr(e.right, snap, states);
      if (l === undefined || r === undefined)
        return e.op === "!=" ? true : e.ty.kind === "bool" ? false : undefined;
      const lt = e.left.ty;
      const rt = e.right.ty;
      const ty =
        lt.kind === "int" && rt.kind === "int"
          ? { kind: "int" as const, bits: Math.max(lt.bits, rt.bits) as 8 | 16 | 32 | 64 }
          : lt;
      return binary(e.op, e.ty.kind === "bool" ? ty : e.ty, l, r);
    }
  }
}

/** A plug-in kind's read-only op on a store rebuilt from the snapshot's `name` / `name_*` maps. */
function readOp(snap: Snapshot, d: StateDecl, op: string, args: Uint8Array[]): TestRV {
  const factory = STORES[d.kind];
  const mine = [...snap.keys()].filter((k) => k.startsWith(`${d.name}@`) || k.startsWith(`${d.name}_`));
  const cpus = Math.max(1, ...mine.map((k) => Number(k.slice(k.lastIndexOf("@") + 1)) + 1));
  const store = factory?.(d, { cpus, backend: "bpf" });
  if (!store?.load) throw new Error(`usertests: \`${d.name}\` (${d.kind}) cannot be read back from its maps`);
  for (const k of mine) {
    const at = k.lastIndexOf("@");
    store.load(k.slice(0, at), Number(k.slice(at + 1)), snap.get(k)!);
  }
  return store.op(op, args, 0);
}

export function showRV(v: TestRV): string {
  if (v === undefined) return "absent";
  if (v instanceof Uint8Array) return toHex(v);
  return String(v);
}
