// timer_wheel lowering and the set_tstamp surface: the checker's NF3025, the interpreter's
// RunResult.tstamp, the generated C (lock around calls, per_cpu without), and on the kernel a wheel
// whose clock jumps more than a revolution while elements are pending (interpreter = kernel).
import { describe, expect, test } from "vitest";
import { checkSource } from "../../lang/index.js";
import { createInterpreter } from "../../lang/interp/index.js";
import { buildPacket } from "../../lang/interp/packet-build.js";
import { generate } from "../pipeline.js";
import { runUserTests } from "../difftest/usertests.js";
import { requireKernel } from "../kernel/testing.js";

const nf = (hook: string, state: string, body: string): string =>
  `nf w on ${hook}\n${state}\ncounter a, b\non packet {\n${body}\n  pass\n}\n`;
const WHEEL = "queue q: timer_wheel<u32>(slots = 64, tick_ns = 1000, capacity = 4)";

describe("set_tstamp", () => {
  test("NF3025 on XDP, pointing at the call, with help", () => {
    const r = checkSource(nf("xdp", "", "  set_tstamp(now_ns() + 5)"), "t.nf");
    expect(r.diagnostics.map((d) => `${d.code}@${d.span?.line}:${d.span?.col}`)).toEqual(["NF3025@5:3"]);
    expect(r.diagnostics[0]!.help).toMatch(/tc egress/);
  });

  test("the interpreter reports the last stamp; none when not set", () => {
    const p = checkSource(
      nf("tc egress", "", "  set_tstamp(7)\n  set_tstamp(now_ns() + 5)"),
      "t.nf",
    ).program!;
    const i = createInterpreter(p);
    const pkt = buildPacket([{ kind: "eth" }, { kind: "ipv4" }, { kind: "udp" }] as never);
    expect(i.run(pkt, { cpu: 0, nowNs: 1000n, ifindex: 1 }).tstamp).toBe(1005n);
    const q = checkSource(nf("tc egress", "", ""), "t.nf").program!;
    expect(createInterpreter(q).run(pkt, { cpu: 0, nowNs: 1000n, ifindex: 1 }).tstamp).toBeUndefined();
  });

  test("lowers to a store into skb->tstamp", () => {
    const p = checkSource(nf("tc ingress", "", "  set_tstamp(now_ns() + 5)"), "t.nf").program!;
    expect(generate(p).c).toMatch(/ctx->tstamp = nf_now_ns\(\) \+ 5/);
  });
});

describe("timer_wheel C", () => {
  const body =
    "  if q.schedule(now_ns(), 1) { a += 1 }\n  if let x = q.pop_due(now_ns()) { a += 1 }\n  if q.len() > 2 { b += 1 }";
  test("shared: helpers run between bpf_spin_lock and unlock on the single value", () => {
    const g = generate(checkSource(nf("xdp", WHEEL, body), "t.nf").program!);
    expect(g.diagnostics).toEqual([]);
    const c = g.c!;
    expect(c).toMatch(/struct bpf_spin_lock lock;/);
    expect(c).toMatch(
      /bpf_spin_lock\(&nf_wq(?:_\d+)?->lock\);\n\s+nf_sched_ok(?:_\d+)? = nf_wheel_schedule\(&nf_wq(?:_\d+)?->w, 64, 1000, 4, 8, 4, /,
    );
    expect(c).toMatch(/nf_pop_ok(?:_\d+)? = nf_wheel_pop_due\(&nf_wq(?:_\d+)?->w, 64, 1000, 4, 8, 4, /);
    const m = g.manifest!.maps.find((x) => x.name === "q")!;
    expect([m.family, m.map_type, m.max_entries, m.value.size]).toEqual([
      "store",
      "BPF_MAP_TYPE_ARRAY",
      1,
      32 + 8 + 512 + 32,
    ]);
  });
  test("per_cpu: PERCPU_ARRAY and no lock", () => {
    const g = generate(
      checkSource(nf("xdp", WHEEL.replace("capacity = 4", "capacity = 4, per_cpu"), body), "t.nf").program!,
    );
    expect(g.c).not.toMatch(/bpf_spin_lock/);
    expect(g.manifest!.maps.find((x) => x.name === "q")!.map_type).toBe("BPF_MAP_TYPE_PERCPU_ARRAY");
  });
});

// Packets run 1 µs apart. Elements are scheduled only by UDP packets and released only by TCP
// ones, so the clock can jump 5 revolutions (64 slots · 1 µs) with elements pending.
const JUMP = `nf jump on xdp
queue q: timer_wheel<u32>(slots = 64, tick_ns = 1000, capacity = 4)
table pops: array<u32, u32>(capacity = 1)
table order: array<u32, u32>(capacity = 8)
counter full
on packet {
  let ip = ipv4 else { pass }
  if let u = udp {
    if !q.schedule(now_ns() + (u.dport as u64) * 1000, u.sport as u32) { full += 1; drop }
    pass
  }
  if let t = tcp {
    let x = q.pop_due(now_ns()) else { drop }
    let n = pops.get(0) else { drop }
    order.insert(n, x)
    pops.add(0, 1)
    tx
  }
  pass
}
test "pending elements survive a jump of five revolutions and come out in time order" {
  repeat 10 { packet icmp() => pass }
  packet tcp() => drop                              // empty: the cursor moves to now (slot 10)
  packet udp(sport = 3, dport = 62) => pass         // cursor + 63: slot 9, past the wrap
  packet udp(sport = 1, dport = 2) => pass
  packet udp(sport = 2, dport = 30) => pass
  packet udp(sport = 9, dport = 64) => drop         // the horizon is 64 slots from the cursor
  packet udp(sport = 4, dport = 0) => pass
  packet udp(sport = 5, dport = 0) => drop          // full: 4 elements
  packet tcp(dport = 1) => tx                       // 1 (cursor + 4) is due
  expect q.len() == 3 && full == 2
  repeat 320 { packet icmp() => pass }              // 320 µs: five revolutions, nothing popped
  packet tcp() => tx
  packet tcp() => tx
  packet tcp() => tx
  packet tcp() => drop                              // empty
  expect order.get(0) == 1 && order.get(1) == 4 && order.get(2) == 2 && order.get(3) == 3 && q.len() == 0
  packet udp(sport = 7, dport = 62) => pass         // horizon counts from the jumped cursor
  expect q.len() == 1
}
`;

describe.runIf(requireKernel())("timer_wheel on the kernel", () => {
  test("a jump over several revolutions: interpreter and kernel agree, user test passes", async () => {
    const r = await runUserTests("jump.nf", JUMP);
    expect(r.diagnostics).toEqual([]);
    expect(r.tests.map((t) => t.failures).flat()).toEqual([]);
    expect(r.tests.map((t) => [t.ok, t.packets, t.expects])).toEqual([[true, 343, 3]]);
  }, 120_000);
});
