// Printing and saving the generated-vs-hand-written comparison: the table, results.json, chart.svg.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Measurement } from "../compiler/bench/measure.js";
import { barChartSvg, fmt, formatTable, pct } from "../compiler/bench/report.js";
import type { Comparison } from "./compare.js";

export function comparisonTable(c: Comparison): string {
  const header = [
    "case",
    "gen net ns",
    "hw net ns",
    "gen/hw",
    "A/A",
    "1-flow gen",
    "1-flow hw",
    "1-flow gen/hw",
    "1-flow A/A",
    "xlated gen/hw",
    "verified gen/hw",
    "JIT B gen/hw",
  ];
  const rows = c.cases.map((r) => [
    r.name,
    fmt(r.generated.manyNet),
    fmt(r.handwritten.manyNet),
    `${fmt(r.ratioMany, 2)}x`,
    pct(r.aaMany),
    fmt(r.generated.singleNet),
    fmt(r.handwritten.singleNet),
    `${fmt(r.ratioSingle, 2)}x`,
    pct(r.aaSingle),
    `${r.generated.size.xlated}/${r.handwritten.size.xlated}`,
    `${r.generated.size.verified}/${r.handwritten.size.verified}`,
    `${r.generated.size.jited}/${r.handwritten.size.jited}`,
  ]);
  const o = c.options;
  return (
    `net ns/packet = program - empty XDP program, same round; medians of ${o.rounds} rounds; ` +
    `many-flow trace: ${o.flows} flows, Zipf(1.1), ${o.packets} packets; single-flow: ${o.singlePackets} packets; ` +
    `A/A = |hw - hw'| / hw (two loads of the hand-written object)\n` +
    formatTable(header, rows) +
    `empty nf program net: ${fmt(c.emptyNfNet.many)} ns (many-flow), ${fmt(c.emptyNfNet.single)} ns (single-flow)\n`
  );
}

function seriesJson(
  m: Measurement,
): Record<
  string,
  Record<string, { nsPerPacket: number[]; count: number; retvals: Array<Record<string, number>> }>
> {
  const out: ReturnType<typeof seriesJson> = {};
  for (const [label, byTrace] of m.series) {
    out[label] = {};
    for (const [trace, s] of byTrace) {
      out[label]![trace] = {
        nsPerPacket: s.nsPerPacket,
        count: s.count,
        retvals: s.retvals.map((r) => Object.fromEntries([...r].map(([k, v]) => [String(k), v]))),
      };
    }
  }
  return out;
}

export function comparisonJson(c: Comparison, meta: Record<string, string>): string {
  return (
    JSON.stringify(
      {
        meta,
        options: c.options,
        baseline: c.baseline,
        emptyNfNet: c.emptyNfNet,
        cases: c.cases,
        rounds: { orders: c.measurement.orders, series: seriesJson(c.measurement) },
      },
      null,
      2,
    ) + "\n"
  );
}

export function comparisonSvg(c: Comparison): string {
  return barChartSvg({
    title: "nfc generated vs hand-written eBPF: net ns/packet (lower is better)",
    subtitle: `medians of ${c.options.rounds} rounds, ${c.options.flows} flows Zipf(1.1), BPF_PROG_TEST_RUN repeat=1 per packet`,
    unit: "net ns/packet",
    groups: c.cases.map((r) => ({
      label: r.name,
      bars: [
        { series: "generated, many-flow", value: r.generated.manyNet },
        { series: "hand-written, many-flow", value: r.handwritten.manyNet },
        { series: "generated, single-flow", value: r.generated.singleNet },
        { series: "hand-written, single-flow", value: r.handwritten.singleNet },
      ],
    })),
  });
}

export function writeFileMkdir(path: string, data: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
}
