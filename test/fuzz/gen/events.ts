// Events in generated programs (lang/events.ts): 0-2 `event` declarations of scalar fields and
// `emit` statements (some sampled with `every N`) sprinkled after statements. Every choice here
// draws from the generator's second stream (Gen.er), so adding events leaves the rest of each
// seed's program exactly as it was (fuzz campaigns and their known seeds keep their programs).
import type { Ty } from "../../../lang/types.js";
import { on, type Gen } from "./ctx.js";
import { expr } from "./expr.js";
import type { Scope } from "./scope.js";
import { SCALARS, tyText } from "./types.js";

export function declareEvents(g: Gen): void {
  if (!on(g, "events")) return;
  const n = g.er.weighted([
    [2, 0],
    [3, 1],
    [1, 2],
  ] as const);
  for (let i = 0; i < n; i++) {
    const fields = Array.from({ length: g.er.int(0, 4) }, (_, j) => ({
      name: `f${j}`,
      ty: g.er.pick(SCALARS) as Ty,
    }));
    g.events.push({ name: `ev${i}`, fields });
    g.out.push(`event ev${i} { ${fields.map((f) => `${f.name}: ${tyText(f.ty)}`).join(", ")} }`);
    g.cov.feature(`event with ${fields.length} fields`);
  }
}

/** Maybe an `emit` after a statement (fields in a shuffled order, values from the scope). */
export function maybeEmit(g: Gen, sc: Scope, lines: string[], ind: string): void {
  if (g.events.length === 0 || !g.er.chance(0.2)) return;
  const main = g.r;
  g.r = g.er; // expressions for the fields draw from the events' stream too
  try {
    const ev = g.r.pick(g.events);
    const order = [...ev.fields].sort(() => g.r.next() - 0.5);
    const fields = order.map((f) => `${f.name} = ${expr(g, sc, f.ty, 1)}`);
    const every = g.r.chance(0.3) ? ` every ${g.r.int(1, 5)}` : "";
    lines.push(`${ind}emit ${ev.name} { ${fields.join(", ")} }${every}`);
    g.cov.feature(every ? "emit every" : "emit");
  } finally {
    g.r = main;
  }
}
