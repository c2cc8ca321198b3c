// A small shrinker for failing programs: deletes statements (a line with its nested block, by
// indentation, as the generator writes them) and declarations while the program is still
// accepted by the checker and still fails the same way. Greedy, repeated until nothing goes.
import { checkSource } from "../../lang/index.js";
import { firstError } from "./run.js";

/** [start, end) of the unit starting at line i: the line, its deeper lines, and its own closers. */
function unitEnd(lines: string[], i: number): number {
  const indent = (s: string): number => s.length - s.trimStart().length;
  const base = indent(lines[i]!);
  let j = i + 1;
  while (j < lines.length) {
    const t = lines[j]!.trim();
    if (indent(lines[j]!) > base) j++;
    else if (indent(lines[j]!) === base && t.startsWith("}")) {
      j++;
      if (t === "}") break; // `} else {` continues the unit
    } else break;
  }
  return j;
}

export const accepted = (src: string): boolean => !firstError(checkSource(src, "shrink.nf").diagnostics);

export async function shrink(
  source: string,
  stillFails: (src: string) => Promise<boolean>,
  log: (s: string) => void = () => {},
): Promise<string> {
  let lines = source.split("\n");
  const indent = (s: string): number => s.length - s.trimStart().length;
  // outer statements first (big cuts early), then deeper ones; repeated until nothing goes
  let changed = true;
  while (changed) {
    changed = false;
    const depths = [...new Set(lines.map(indent))].sort((a, b) => a - b);
    for (const depth of depths)
      for (let i = 0; i < lines.length; i++) {
        const t = lines[i]!.trim();
        if (
          indent(lines[i]!) !== depth ||
          !t ||
          t.startsWith("}") ||
          t.startsWith("nf ") ||
          t.startsWith("on packet") ||
          t.startsWith("//")
        )
          continue;
        const end = t.endsWith("{") ? unitEnd(lines, i) : i + 1;
        const cand = [...lines.slice(0, i), ...lines.slice(end)];
        const src = cand.join("\n");
        if (!accepted(src) || !(await stillFails(src))) continue;
        lines = cand;
        changed = true;
        i--;
        log(`  removed ${end - i - 1} line(s) at ${i + 2}; ${lines.length} left`);
      }
  }
  return lines.join("\n");
}
