// Payload operations in generated programs (docs/LANGUAGE.md "Payload"), opt-in with
// NFC_FUZZ_PAYLOAD=1 so that existing seeds draw the same programs: reads (len, u8/u16/u32, find,
// starts_with) where tcp or udp is bound, writes and resizes where udp and ipv4 are.
import type { Gen } from "./ctx.js";
import type { Scope } from "./scope.js";
import type { IntTy } from "./types.js";

export const payloadOn = (): boolean => process.env.NFC_FUZZ_PAYLOAD === "1";

export const canRead = (sc: Scope): boolean =>
  payloadOn() && (sc.present.has("udp") || sc.present.has("tcp"));
export const canWrite = (sc: Scope): boolean =>
  payloadOn() && sc.present.has("udp") && sc.present.has("ipv4");

const TEXTS = ["get ", "VALUE ", "\\r\\n", "a", "set k 0 0 1\\r\\n"];

/** An integer read of type `t` with an offset drawn by `off`. */
export function payloadInt(g: Gen, t: IntTy, off: () => string, iters = 1): string {
  g.cov.feature("payload read");
  const o = `(${off()} as u32)`;
  switch (t.bits) {
    case 8:
      return `payload.u8(${o})`;
    case 16:
      return `payload.u16(${o})`;
    case 32:
      return g.r.pick([
        "payload.len()",
        `payload.u32(${o})`,
        `payload.find(${g.r.int(0, 255)}, ${o}, ${g.r.pick([1, 8, 33, 256].filter((n) => n * iters <= 65536))})`,
      ]);
    default:
      return `(payload.len() as u64)`;
  }
}

export function payloadBool(g: Gen, off: () => string): string {
  g.cov.feature("payload starts_with");
  return `payload.starts_with("${g.r.pick(TEXTS)}", (${off()} as u32))`;
}

/** A statement changing the packet: a write of an integer, or a resize. */
export function payloadChange(g: Gen, off: () => string): string {
  g.cov.feature("payload write/resize");
  return g.r.chance(0.5)
    ? `payload.write((${off()} as u32), ${g.r.pick(["7 as u8", "0x1234 as u16", "0xdeadbeef as u32"])})`
    : `payload.resize(${g.r.int(0, 64)})`;
}
