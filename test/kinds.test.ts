// Every registry kind × every operation through every phase, from the registry alone (lang/blocks
// BLOCKS): the checker accepts a program calling it, the interpreter runs it (STORES), the bpf
// lowering (BLOCK_LOWERINGS) generates C for it, and the kmod lowering (KMOD_LOWERINGS, with its
// KMOD_RULES entry) generates kfunc calls for it — or the kind states why it has none
// (NO_KMOD_LOWERING). tsc already refuses a kind missing from one of these tables; this test
// proves each entry handles each operation. Clang, the verifier and the kernel see the same
// programs at the parameters' bounds in test/bounds.
import { describe, expect, test } from "vitest";
import { chooseBackends, KMOD_RULES } from "../compiler/backend/choice.js";
import { BLOCK_LOWERINGS } from "../compiler/blocks/index.js";
import { hasKmodLowering, KMOD_LOWERINGS, NO_KMOD_LOWERING } from "../compiler/blocks/kmod/index.js";
import { generate } from "../compiler/pipeline.js";
import { BLOCKS, type BlockDef } from "../lang/blocks/index.js";
import { checkSource } from "../lang/index.js";
import { createInterpreter } from "../lang/interp/index.js";
import { STORES } from "../lang/interp/kinds/index.js";
import { buildPacket } from "../lang/interp/packet-build.js";
import { args, call, keyOf } from "./bounds/gen.js";

/** `s.<op>(…)` on a structure with its first sizing parameter at `size` (or its minimum). */
function program(b: BlockDef, op: string, perCpu = false, size = 0): string {
  const first = b.params.find((p) => p.kind === "int" && b.forms.some((f) => f.includes(p.name)));
  const value = first?.kind === "int" ? Math.min(first.max, Math.max(first.min, size)) : 0;
  const params = first?.kind === "int" ? args(b, first, value, perCpu) : "";
  const key = keyOf(b);
  const types = b.typeParams.map((p) => (p === "K" ? key : "u64")).join(", ");
  const keyExpr = key === "ip4" ? "ip.src" : "(ip.src as u32) & 0xff";
  const stmt = call(b, op, "k") ?? "";
  return `nf k_${b.name} on xdp
${b.family} s: ${b.name}<${types}>(${params})
counter hits
on packet {
  let ip = ipv4 else { pass }
  let k = ${keyExpr}
  let n = pkt_len()
  ${stmt}
  pass
}
`;
}

const CASES = BLOCKS.flatMap((b) =>
  Object.keys(b.ops)
    .filter((op) => b.ops[op]!.datapath)
    .map((op) => ({ b, op, name: `${b.name}.${op}` })),
);

const PACKETS = [1, 2, 3, 1].map((i) =>
  buildPacket([{ kind: "eth" }, { kind: "ipv4", src: `10.0.0.${i}`, dst: "10.0.0.9" }, { kind: "udp" }]),
);

describe("every kind × operation through every phase", () => {
  test("the registry and every phase's table list the same kinds", () => {
    const kinds = BLOCKS.map((b) => b.name).sort();
    expect(Object.keys(STORES).sort()).toEqual(kinds);
    expect(Object.keys(BLOCK_LOWERINGS).sort()).toEqual(kinds);
    expect([...Object.keys(KMOD_LOWERINGS), ...Object.keys(NO_KMOD_LOWERING)].sort()).toEqual(kinds);
    expect(Object.keys(KMOD_RULES).sort()).toEqual(Object.keys(KMOD_LOWERINGS).sort());
  });

  test.each(CASES)("$name", ({ b, op }) => {
    const source = program(b, op);
    const checked = checkSource(source, `k_${b.name}.nf`);
    expect(checked.diagnostics, source).toEqual([]);
    const prog = checked.program!;
    expect(prog.states[0]!.kind).toBe(b.name);

    const it = createInterpreter(prog, { cpus: 2 });
    for (const [i, p] of PACKETS.entries())
      expect(it.run(p, { cpu: i % 2, nowNs: 1000n * BigInt(i + 1), ifindex: 1 }).verdict).toBe("pass");

    const bpf = generate(prog);
    expect(bpf.diagnostics).toEqual([]);
    expect(bpf.c).toContain(`/* k_${b.name}.nf:8:`); // the op line
    expect(bpf.c).not.toContain("nfc_rt_");

    const kind = b.name;
    const forced = chooseBackends(prog, "kmod").ops.find((o) => o.op === op)!;
    if (!hasKmodLowering(kind)) {
      expect(forced).toMatchObject({ backend: "bpf", reason: NO_KMOD_LOWERING[kind] });
      return;
    }
    // The smallest shape the kind's kmod rule accepts (shared, per-CPU, or 64 wide): each kind's
    // unfit shapes have a stated reason (KMOD_RULES[kind].unfit).
    const fit = [
      prog,
      ...[program(b, op, true), program(b, op, true, 64)].map((s) => checkSource(s, "k.nf").program!),
    ];
    const shape = fit.find((p) => chooseBackends(p, "kmod").ops.every((o) => o.backend === "kmod"));
    if (forced.backend === "bpf") expect(forced.reason).toBe(KMOD_RULES[kind].unfit?.(prog.states[0]!));
    expect(shape, `${b.name}: no shape takes the kmod lowering`).toBeDefined();
    const kmod = generate(shape!, { kmod: new Set(["s"]) });
    expect(kmod.diagnostics).toEqual([]);
    expect(kmod.c).toContain('#include "nfc_runtime.h"');
    expect(kmod.c).not.toEqual(generate(shape!).c);
  });
});
