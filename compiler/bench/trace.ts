// Seeded packet traces for benchmarks (DESIGN.md section 7): `flows` distinct 5-tuples, packets
// drawn Zipf(s) over the flows, each a real Ethernet/IPv4/UDP-or-TCP frame (lang's buildPacket).
// File format (read by nfc-runner `runtrace`, runner/trace.c): the 8 ASCII bytes "NFCTRC01",
// then per frame a little-endian u32 length and the frame's bytes. Same options -> same bytes.
import { readFileSync, writeFileSync } from "node:fs";
import { buildPacket } from "../../lang/interp/packet-build.js";
import { rng as prng } from "../../lang/rng.js";

export const TRACE_MAGIC = "NFCTRC01";

export interface Flow {
  src: number[];
  dst: number[];
  sport: number;
  dport: number;
  /** 6 (TCP) or 17 (UDP) */
  proto: 6 | 17;
}

export interface TraceOptions {
  flows: number;
  packets: number;
  /** Zipf exponent over flow ranks (1.1 in the method). */
  zipf: number;
  seed: number;
  /** UDP/TCP payload bytes per frame. */
  payload?: number;
}

export interface Trace {
  frames: Uint8Array[];
  /** flowOf[i]: index into `flows` of frame i. */
  flowOf: number[];
  flows: Flow[];
}

/** A sampler of ranks 0..n-1 with P(k) proportional to 1/(k+1)^s (inverse CDF, binary search). */
export function zipfSampler(n: number, s: number, rand: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) {
    sum += 1 / Math.pow(k + 1, s);
    cdf[k] = sum;
  }
  return () => {
    const u = rand() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function randomFlow(rand: () => number): Flow {
  const byte = (): number => Math.floor(rand() * 256);
  return {
    src: [10, byte(), byte(), 1 + Math.floor(rand() * 254)],
    dst: [172, 16 + Math.floor(rand() * 16), byte(), 1 + Math.floor(rand() * 254)],
    sport: 1024 + Math.floor(rand() * 64512),
    dport: 1 + Math.floor(rand() * 65535),
    proto: rand() < 0.5 ? 6 : 17,
  };
}

export function flowFrame(f: Flow, payload: number): Uint8Array {
  const l4 =
    f.proto === 6
      ? ({ kind: "tcp", sport: f.sport, dport: f.dport, flags: 0x10 } as const)
      : ({ kind: "udp", sport: f.sport, dport: f.dport } as const);
  return buildPacket(
    [
      { kind: "eth", dst: "02:00:00:00:00:02", src: "02:00:00:00:00:01" },
      { kind: "ipv4", src: f.src, dst: f.dst, ttl: 64 },
      l4,
    ],
    new Array<number>(payload).fill(0x5a),
  );
}

/** The many-flow trace: distinct flows, Zipf-distributed packets (flow rank order is random). */
export function makeTrace(o: TraceOptions): Trace {
  const rand = prng(o.seed);
  const flows: Flow[] = [];
  const seen = new Set<string>();
  while (flows.length < o.flows) {
    const f = randomFlow(rand);
    const key = `${f.src.join(".")}|${f.dst.join(".")}|${f.sport}|${f.dport}|${f.proto}`;
    if (seen.has(key)) continue;
    seen.add(key);
    flows.push(f);
  }
  const payload = o.payload ?? 18;
  const frameOf = new Map<number, Uint8Array>();
  const sample = zipfSampler(o.flows, o.zipf, rand);
  const frames: Uint8Array[] = [];
  const flowOf: number[] = [];
  for (let i = 0; i < o.packets; i++) {
    const k = sample();
    let fr = frameOf.get(k);
    if (!fr) {
      fr = flowFrame(flows[k]!, payload);
      frameOf.set(k, fr);
    }
    frames.push(fr);
    flowOf.push(k);
  }
  return { frames, flowOf, flows };
}

/** The single-flow trace: one frame repeated (the compute-only point). */
export function makeSingleFlowTrace(packets: number, seed: number, payload = 18): Trace {
  // a different stream from makeTrace's, so the flow is not the many-flow trace's first one
  const flow = randomFlow(prng(seed ^ 0x51f1e));
  const fr = flowFrame(flow, payload);
  return {
    frames: new Array<Uint8Array>(packets).fill(fr),
    flowOf: new Array<number>(packets).fill(0),
    flows: [flow],
  };
}

export function encodeTrace(frames: readonly Uint8Array[]): Uint8Array {
  const total = 8 + frames.reduce((n, f) => n + 4 + f.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(TRACE_MAGIC), 0);
  let off = 8;
  for (const f of frames) {
    view.setUint32(off, f.length, true);
    out.set(f, off + 4);
    off += 4 + f.length;
  }
  return out;
}

export function writeTrace(path: string, frames: readonly Uint8Array[]): void {
  writeFileSync(path, encodeTrace(frames));
}

/** Reads a trace file back into frames (throws on a malformed file). */
export function readTrace(path: string): Uint8Array[] {
  const b = new Uint8Array(readFileSync(path));
  if (b.length < 8 || new TextDecoder().decode(b.subarray(0, 8)) !== TRACE_MAGIC)
    throw new Error(`${path}: not a trace file`);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const frames: Uint8Array[] = [];
  let off = 8;
  while (off < b.length) {
    if (off + 4 > b.length) throw new Error(`${path}: truncated frame header at ${off}`);
    const n = view.getUint32(off, true);
    if (off + 4 + n > b.length) throw new Error(`${path}: truncated frame at ${off}`);
    frames.push(b.slice(off + 4, off + 4 + n));
    off += 4 + n;
  }
  return frames;
}
