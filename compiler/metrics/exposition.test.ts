// The exposition without a kernel: prom-client's text for a reading (names, labels, values,
// series of an NF gone at the next update), and the coded errors of the command line (NF6051).
import { describe, expect, test } from "vitest";
import { DeployError } from "../deploy/errors.js";
import { exportsOf } from "./collect.js";
import { Exposition } from "./exposition.js";
import { parseExport, parseListen } from "./server.js";

const sample = {
  nf: "hh",
  iface: "eth0@lab",
  counters: [{ name: "passed", value: 5 }],
  events: [{ event: "blocked", sent: 2, dropped: 1 }],
  tables: [{ table: "blocked", entries: 2, capacity: 65536 }],
  program: { runs: 7, seconds: 0.5 },
  topk: [{ sketch: "talkers", key: "10.0.0.1", count: 300 }],
  distinct: [{ sketch: "dsts", group: "0", value: 12 }],
  estimates: [{ sketch: "flows", key: "udp 10.0.0.1:53 -> 10.0.0.2:1234", value: 4 }],
};

describe("nfc metrics exposition", () => {
  test("every family, labelled nf/iface/host, and an NF's series gone once it is", async () => {
    const e = new Exposition("node1");
    e.update([sample]);
    const text = await e.registry.metrics();
    const l = 'nf="hh",iface="eth0@lab",host="node1"';
    for (const line of [
      "# TYPE nfc_counter_total counter",
      `nfc_counter_total{${l},counter="passed"} 5`,
      `nfc_events_total{${l},event="blocked"} 2`,
      `nfc_events_dropped_total{${l},event="blocked"} 1`,
      `nfc_table_entries{${l},table="blocked"} 2`,
      `nfc_table_capacity{${l},table="blocked"} 65536`,
      `nfc_program_runs_total{${l}} 7`,
      `nfc_program_run_seconds_total{${l}} 0.5`,
      `nfc_sketch_topk_count{${l},sketch="talkers",key="10.0.0.1"} 300`,
      `nfc_sketch_distinct{${l},sketch="dsts",group="0"} 12`,
      `nfc_sketch_estimate{${l},sketch="flows",key="udp 10.0.0.1:53 -> 10.0.0.2:1234"} 4`,
    ])
      expect(text.split("\n")).toContain(line);
    e.update([]);
    expect(await e.registry.metrics()).not.toContain('nf="hh"');
  });

  test("NF6051 for a listen address that is not ADDR:PORT; --export forms", () => {
    expect(parseListen("127.0.0.1:9101")).toEqual({ host: "127.0.0.1", port: 9101 });
    expect(parseListen("[::1]:9101")).toEqual({ host: "::1", port: 9101 });
    for (const bad of ["9101", "localhost:9101", "127.0.0.1:99999", "127.0.0.1"]) {
      let code = "";
      try {
        parseListen(bad);
      } catch (err) {
        code = err instanceof DeployError ? err.diagnostic.code : "";
      }
      expect(code, bad).toBe("NF6051");
    }
    expect(parseExport("hh:flows:udp 10.0.0.1:53 -> 10.0.0.2:1234")).toEqual({
      nf: "hh",
      sketch: "flows",
      keys: ["udp 10.0.0.1:53 -> 10.0.0.2:1234"],
    });
    expect(parseExport("tk:talkers")).toEqual({ nf: "tk", sketch: "talkers", keys: [] });
    expect(parseExport("tk")).toBeUndefined();
  });

  test("the author's exports come from the manifest; the operator's --export of a sketch replaces them", () => {
    const manifest = {
      exports: [
        { sketch: "talkers", keys: [] },
        { sketch: "hits", keys: ["10.0.0.1"] },
      ],
    };
    expect(exportsOf("tk", manifest, [])).toEqual([
      { nf: "tk", sketch: "talkers", keys: [] },
      { nf: "tk", sketch: "hits", keys: ["10.0.0.1"] },
    ]);
    const op = [
      { nf: "tk", sketch: "hits", keys: ["10.0.0.9"] },
      { nf: "other", sketch: "x", keys: [] },
    ];
    expect(exportsOf("tk", manifest, op)).toEqual([
      { nf: "tk", sketch: "talkers", keys: [] },
      { nf: "tk", sketch: "hits", keys: ["10.0.0.9"] },
    ]);
    expect(exportsOf("tk", {}, [])).toEqual([]);
  });
});
