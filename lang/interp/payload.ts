// payload.OP(...) (docs/LANGUAGE.md "Payload"): the twin of stdlib/include/nf/payload.h. The payload
// is the bytes from the end of the TCP/UDP header to the packet's end; reads past the end give 0,
// false or a zeroed tail, writes are all or nothing, `resize` moves the packet's end.
import type { PayloadOp } from "../checked.js";
import { csumReplace2 } from "../csum.js";
import type { Parsed } from "./parse.js";

/** NF_PL_RESIZE_MAX (nf/payload.h). */
export const RESIZE_MAX = 1472;
const NOT_FOUND = 0xffffffffn;

export interface PayloadPacket {
  pkt: Uint8Array;
  readonly parsed: Parsed;
}

/** Where the payload starts (nf_hdrs.l4_end): after the UDP header or the TCP header with options. */
export function payloadStart(parsed: Parsed): number {
  const end = parsed.end.get("udp") ?? parsed.end.get("tcp");
  if (end === undefined) throw new Error("interp: payload without tcp or udp (checker bug)");
  return end;
}

const be = (p: Uint8Array, o: number, n: number): bigint => {
  let v = 0n;
  for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(p[o + i]!);
  return v;
};

/** Runs one payload operation; `args` are already evaluated (ints as bigint, bytes as C bytes). */
export function payloadOp(
  f: PayloadPacket,
  op: PayloadOp,
  args: (bigint | boolean | Uint8Array)[],
  sliceLen: number,
): bigint | boolean | Uint8Array {
  const off0 = payloadStart(f.parsed);
  const plen = (): number => Math.max(0, f.pkt.length - off0);
  const int = (i: number): bigint => args[i] as bigint;
  switch (op) {
    case "payload_len":
      return BigInt(plen());
    case "payload_u8":
    case "payload_u16":
    case "payload_u32": {
      const size = op === "payload_u8" ? 1 : op === "payload_u16" ? 2 : 4;
      const off = int(0);
      return off + BigInt(size) > BigInt(plen()) ? 0n : be(f.pkt, off0 + Number(off), size);
    }
    case "payload_starts_with": {
      const lit = args[0] as Uint8Array;
      const off = int(1);
      if (off + BigInt(lit.length) > BigInt(plen())) return false;
      return lit.every((b, i) => f.pkt[off0 + Number(off) + i] === b);
    }
    case "payload_find": {
      const c = Number(int(0));
      const from = int(1);
      const n = Number(int(2));
      for (let i = 0; i < n; i++) {
        const at = from + BigInt(i);
        if (at >= BigInt(plen())) break;
        if (f.pkt[off0 + Number(at)] === c) return at;
      }
      return NOT_FOUND;
    }
    case "payload_slice": {
      const out = new Uint8Array(sliceLen);
      const off = int(0);
      if (off >= BigInt(plen())) return out;
      const n = Math.min(Number(int(1) < BigInt(sliceLen) ? int(1) : BigInt(sliceLen)), plen() - Number(off));
      out.set(f.pkt.subarray(off0 + Number(off), off0 + Number(off) + n));
      return out;
    }
    case "payload_write": {
      const off = int(0);
      const bytes = args[1] as Uint8Array;
      const len = int(2) < BigInt(bytes.length) ? Number(int(2)) : bytes.length;
      if (off > BigInt(plen()) || BigInt(len) > BigInt(plen()) - off) return false;
      f.pkt[off0 - 2] = 0;
      f.pkt[off0 - 1] = 0;
      f.pkt.set(bytes.subarray(0, len), off0 + Number(off));
      return true;
    }
    case "payload_resize": {
      const n = int(0);
      if (n > BigInt(RESIZE_MAX)) return false;
      const end = off0 + Number(n);
      const grown = new Uint8Array(end);
      grown.set(f.pkt.subarray(0, Math.min(end, f.pkt.length)));
      f.pkt = grown;
      const ip = f.parsed.at.get("ipv4")!;
      const p = f.pkt;
      const oldLen = Number(be(p, ip + 2, 2));
      const newLen = (end - ip) & 0xffff;
      const check = csumReplace2(Number(be(p, ip + 10, 2)), oldLen, newLen);
      p.set([newLen >> 8, newLen & 0xff], ip + 2);
      p.set([check >> 8, check & 0xff], ip + 10);
      const udpLen = (Number(n) + 8) & 0xffff;
      p.set([udpLen >> 8, udpLen & 0xff, 0, 0], off0 - 4);
      return true;
    }
  }
}
