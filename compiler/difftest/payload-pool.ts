// Payloads worth sending to a program that reads its payload (docs/LANGUAGE.md "Payload"): the
// strings it compares (`payload.starts_with`), after 0 or 8 random bytes (a frame header such as
// memcached's), followed by a short token and a delimiter, so scans, slices and the branches behind
// a matched prefix run in the differential and not only on random bytes. Ports: the program's
// integer constants that fit a port (a service port it matches on).
import type { CheckedProgram } from "../../lang/checked.js";
import type { Gen } from "./gen.js";

/** Every `payload.starts_with` literal of the handler, as bytes. */
export function payloadLiterals(program: CheckedProgram): number[][] {
  const out: number[][] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== "object") return;
    const o = x as Record<string, unknown>;
    if (o.kind === "builtin" && o.name === "payload_starts_with") {
      const lit = (o.args as { value?: { kind: string; v: number[] } }[])[0]?.value;
      if (lit?.kind === "bytes") out.push([...lit.v]);
    }
    for (const [k, v] of Object.entries(o)) if (k !== "span" && k !== "ty" && k !== "sym") walk(v);
  };
  walk(program.handler);
  return out;
}

/** The program's integer constants that fit a port. */
export function constPorts(program: CheckedProgram): number[] {
  return program.consts.flatMap((c) =>
    c.value.kind === "int" && c.value.v > 0n && c.value.v < 65536n ? [Number(c.value.v)] : [],
  );
}

const TOKEN = [..."abcdefghijklmnopqrstuvwxyz0123456789_:-"].map((c) => c.charCodeAt(0));
const TAILS = [[13, 10], [32], [], [10]];

/** prefix (none, 8 random bytes, or a small 16-bit id then 0, 1, 0 as a memcached frame) + a literal + token + tail, sometimes a second token and tail. */
export function textPayload(g: Gen, literals: readonly number[][]): number[] {
  const token = (): number[] => Array.from({ length: g.n(24) }, () => g.pick(TOKEN));
  const r = g.r();
  const head = r < 0.25 ? g.bytes(8) : r < 0.5 ? [0, g.n(16), 0, 0, 0, 1, 0, 0] : [];
  const body = [...g.pick(literals), ...token(), ...g.pick(TAILS)];
  if (g.r() < 0.3) body.push(...token(), ...g.pick(TAILS));
  return [...head, ...body];
}
