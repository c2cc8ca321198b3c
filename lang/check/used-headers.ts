// Which headers the packet parser must parse: those the handler refers to, their prerequisites
// (HEADER_PREREQS), the IP versions that lead to tcp/udp (both: either may carry them), and for user
// headers the header they are parsed after (recursively). Ordered as in the parse graph, user
// headers last in declaration order. `flow5()` needs ipv4 and its tcp/udp only.
import { BUILTIN_HEADERS, HEADER_PREREQS } from "../headers.js";
import type { Ctx } from "./context.js";

const VIA_IP = new Set(["tcp", "udp"]);

export function usedHeaders(ctx: Ctx, userHeaders: readonly string[]): string[] {
  const need = new Set<string>();
  const seen = new Set<string>();
  const visit = (h: string, viaIp = true): void => {
    const key = `${h}/${viaIp}`;
    if (seen.has(key)) return;
    seen.add(key);
    need.add(h);
    for (const p of HEADER_PREREQS[h] ?? []) visit(p);
    if (viaIp && VIA_IP.has(h)) {
      visit("ipv4");
      visit("ipv6");
    }
    for (const after of ctx.parsedAfter.get(h) ?? []) visit(after);
  };
  for (const h of ctx.usedHeaders) visit(h);
  for (const h of ctx.flowHeaders) visit(h, false); // flow5(): L4 over IPv4 only
  const order = [...BUILTIN_HEADERS.map((h) => h.name), ...userHeaders];
  return order.filter((h) => need.has(h));
}
