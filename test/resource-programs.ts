// Program generators at the edges of the resource model (docs/LANGUAGE.md "Resource model"), shared
// by the unit tests of the limits and the kernel tests that load them.
export { bigProgram } from "../bench/check-speed.js";

/** A program of `n` hash tables, every one used by the handler, with a config (.rodata) and now_ns(). */
export function manyMaps(n: number, opts: { counters?: boolean } = {}): string {
  const out = ["nf many on xdp", "config bump: u64 = 1"];
  for (let i = 0; i < n; i++) out.push(`table t${i}: hash<u32, u64>(capacity = 16)`);
  if (opts.counters) out.push("counter seen");
  out.push("on packet {", "  let ip = ipv4 else { pass }", "  let k = ip.ttl as u32");
  for (let i = 0; i < n; i++) out.push(`  t${i}.insert(k, now_ns() + bump)`);
  if (opts.counters) out.push("  seen += 1");
  out.push("  pass", "}");
  return out.join("\n") + "\n";
}
