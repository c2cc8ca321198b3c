// The control plane's typed text <-> bytes (codec.ts), on the layouts the compiler writes into
// manifests: every form parses to the C bytes and prints back to the same text; malformed or
// out-of-range text is NF6010/NF6011 naming the expected form.
import { describe, expect, test } from "vitest";
import { compile } from "../api.js";
import type { Layout } from "../ir/ir.js";
import type { ManifestMap } from "../manifest.js";
import { formatLayout, jsonLayout, parseLayout, sumLayout } from "./codec.js";
import { DeployError } from "./errors.js";

const SRC = `nf codec on xdp
type stats { packets: u64, bytes: u64, ok: bool }
table p4: lpm<ip4, u32>(capacity = 16)
table p6: lpm<ip6, u8>(capacity = 16)
table macs: hash<mac, u16>(capacity = 16)
table flows: hash<flow5, stats>(capacity = 16)
table arr: array<u32, stats>(capacity = 8, per_cpu)
table v6: hash<ip6, bool>(capacity = 16)
on packet {
  if let e = eth { if let x = macs.get(e.src) { if x > 1 { drop } } }
  if let ip = ipv4 {
    if let r = p4.get(ip.src) { if r > 1 { drop } }
    if let s = flows.get(flow5()) { s.packets += 1 }
    if let a = arr.get(1) { a.bytes += 1 }
  }
  if let ip = ipv6 {
    if let r = p6.get(ip.src) { if r > 1 { drop } }
    if v6.contains(ip.dst) { drop }
  }
  pass
}
`;

async function maps(): Promise<Record<string, ManifestMap>> {
  const r = await compile({ file: "codec.nf", source: SRC }, { emitObject: false });
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return Object.fromEntries(r.manifest!.maps.map((m) => [m.name, m]));
}

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof DeployError)
      return `${e.diagnostic.code} ${e.diagnostic.message} | ${e.diagnostic.help ?? ""}`;
    throw e;
  }
  return "no error";
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

describe("control-plane codec", () => {
  test("keys and values: C bytes and the same text back", async () => {
    const m = await maps();
    const cases: Array<[Layout, string, string, string?]> = [
      [m.p4!.key, "10.0.0.0/8", "080000000a000000"],
      [m.p4!.key, "10.1.2.3", "200000000a010203", "10.1.2.3/32"],
      [m.p4!.value, "4294967295", "ffffffff"],
      [m.p6!.key, "2001:db8::/32", "2000000020010db8000000000000000000000000"],
      [m.macs!.key, "aa:bb:cc:dd:ee:0f", "aabbccddee0f"],
      [m.macs!.value, "0x102", "0201", "258"],
      [m.flows!.key, "udp 10.0.0.1:53 -> 10.0.0.2:1234", "0a0000010a000002003504d211000000"],
      [
        m.flows!.value,
        "packets=1,bytes=2,ok=true",
        `${"01".padEnd(16, "0")}${"02".padEnd(16, "0")}01${"00".repeat(7)}`,
      ],
      [
        m.flows!.value,
        `{"bytes": 5}`,
        `${"00".repeat(8)}05${"00".repeat(7)}${"00".repeat(8)}`,
        "packets=0,bytes=5,ok=false",
      ],
      [m.v6!.key, "::ffff:10.0.0.1", "00000000000000000000ffff0a000001"],
      [m.v6!.value, "true", "01"],
    ];
    for (const [layout, text, bytes, back] of cases) {
      const b = parseLayout(layout, text, "key");
      expect(hex(b), text).toBe(bytes);
      expect(formatLayout(layout, b), text).toBe(back ?? text);
    }
    expect(jsonLayout(m.flows!.value, parseLayout(m.flows!.value, "packets=3", "value"))).toEqual({
      packets: 3,
      bytes: 0,
      ok: false,
    });
  });

  test("per-CPU values sum field by field", async () => {
    const m = await maps();
    const v = m.arr!.value;
    const s = sumLayout(v, [
      parseLayout(v, "packets=1,bytes=10", "v"),
      parseLayout(v, "packets=2,bytes=20,ok=true", "v"),
    ]);
    expect(formatLayout(v, s)).toBe("packets=3,bytes=30,ok=false");
  });

  test("bad text is NF6010 with the expected form; too large is NF6011", async () => {
    const m = await maps();
    expect(code(() => parseLayout(m.p4!.key, "10.0.0/8", "key"))).toBe(
      "NF6010 bad key `10.0.0/8`: it has 3 parts, an IPv4 address has 4 | expected an IPv4 prefix such as `10.0.0.0/8`",
    );
    expect(code(() => parseLayout(m.p4!.key, "10.0.0.0/33", "key"))).toBe(
      "NF6010 bad key `10.0.0.0/33`: the prefix length must be at most 32 | expected an IPv4 prefix such as `10.0.0.0/8`",
    );
    expect(code(() => parseLayout(m.p6!.value, "256", "value"))).toBe(
      "NF6011 value `256` does not fit in `u8` | use a value from 0 to 255",
    );
    expect(code(() => parseLayout(m.macs!.key, "aa:bb", "key"))).toMatch(
      /^NF6010 .*\| expected a MAC address such as `aa:bb:cc:dd:ee:ff`$/,
    );
    expect(code(() => parseLayout(m.flows!.key, "udp 10.0.0.1 10.0.0.2", "key"))).toMatch(
      /^NF6010 .*PROTO SRC:SPORT -> DST:DPORT/,
    );
    expect(code(() => parseLayout(m.flows!.key, "udp 10.0.0.1:70000 -> 10.0.0.2:1", "key"))).toMatch(
      /^NF6011 key sport `70000` does not fit in `u16`/,
    );
    expect(code(() => parseLayout(m.flows!.value, "packets=1,cows=2", "value"))).toMatch(
      /^NF6010 .*there is no field `cows` \| expected fields packets=<u64>,bytes=<u64>,ok=<bool>/,
    );
    expect(code(() => parseLayout(m.v6!.value, "yes", "value"))).toMatch(
      /^NF6010 bad value `yes`: not a bool \| expected `true` or `false`/,
    );
    expect(code(() => parseLayout(m.p4!.value, "-1", "value"))).toMatch(/^NF6010 bad value `-1`/);
  });
});
