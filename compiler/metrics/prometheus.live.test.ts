// Live tier (root): a REAL Prometheus (Debian's `prometheus`, installed by setup.sh) scrapes
// `nfc metrics` on 127.0.0.1 while UDP packets cross a veth pair into a loaded heavy_hitter in a
// namespace (netlab.ts: unique names, 198.18.97.0/30, removed even on failure). The test queries
// Prometheus's HTTP API: the series exist with the labels nf/iface/host, rise while packets flow,
// and equal `nfc counters` once the flow stops. Prometheus runs with its own config and storage in
// a temporary directory, a 1 s scrape interval, and is killed at the end (bounded in time).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { requireKernel } from "../kernel/testing.js";
import { NetLab, cli, countersOf } from "../deploy/netlab.js";
import { serveMetrics, type MetricsServer } from "./server.js";

const lab = new NetLab("p", 97);
const NF = `hp${process.pid % 100000}`;
const file = lab.nf(
  NF,
  readFileSync("examples/heavy_hitter.nf", "utf8")
    .replace("nf heavy_hitter on xdp", `nf ${NF} on xdp`)
    // an author-declared export (docs/LANGUAGE.md "Exporting sketches"): the sender's estimate
    .replace(
      "table blocked:",
      `sketch srcs: count_min<ip4>(rows = 2, width = 64, export = ${lab.addrB})\ntable blocked:`,
    )
    .replace("flows.add(f, 1)", "flows.add(f, 1)\n  srcs.add(ip.src, 1)"),
);
const havePrometheus = spawnSync("prometheus", ["--version"]).status === 0;

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe.runIf(requireKernel())("nfc metrics scraped by a real Prometheus (live)", () => {
  beforeAll(() => lab.up());
  afterAll(() => lab.close());

  test.runIf(havePrometheus)(
    "series exist, rise with the flow, and equal nfc counters",
    { timeout: 240_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "nfc-prom-"));
      let prom: ChildProcess | undefined;
      let metrics: MetricsServer | undefined;
      const load = await cli(
        "load",
        file,
        "--dev",
        lab.devA,
        "--netns",
        lab.nsA,
        "--set",
        "threshold=1000000",
      );
      expect(load.err).toBe("");
      try {
        metrics = await serveMetrics("127.0.0.1:0", [NF], []);
        const target = new URL(metrics.url).host;
        const promPort = await freePort();
        writeFileSync(
          join(dir, "prometheus.yml"),
          `global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\nscrape_configs:\n  - job_name: nfc\n    static_configs:\n      - targets: ["${target}"]\n`,
        );
        prom = spawn(
          "prometheus",
          [
            `--config.file=${join(dir, "prometheus.yml")}`,
            `--storage.tsdb.path=${join(dir, "data")}`,
            `--web.listen-address=127.0.0.1:${promPort}`,
            "--log.level=warn",
          ],
          { stdio: "ignore" },
        );
        const killer = setTimeout(() => prom?.kill("SIGKILL"), 200_000);
        killer.unref();
        const query = async (
          q: string,
        ): Promise<{ metric: Record<string, string>; value: [number, string] }[]> => {
          const r = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(q)}`);
          const j = (await r.json()) as { status: string; data: { result: [] } };
          expect(j.status).toBe("success");
          return j.data.result;
        };
        const passedQ = `nfc_counter_total{nf="${NF}",counter="passed"}`;
        const value = async (q: string): Promise<number | undefined> => {
          try {
            const r = await query(q);
            return r[0] ? Number(r[0].value[1]) : undefined;
          } catch {
            return undefined; // Prometheus still starting
          }
        };
        // Prometheus up and scraping
        for (let i = 0; i < 60 && (await value(passedQ)) === undefined; i++) await sleep(500);
        expect(await value(passedQ)).toBe(0);
        // packets flow: 4000 in bursts of 100 with 25 ms pauses (~1-2 s); the series rises meanwhile
        const sending = lab.sendPaced(4000, 9, 100, 25);
        const seen = new Set<number>();
        let sent = -1;
        void sending.then((n) => (sent = n));
        while (sent < 0) {
          const v = await value(passedQ);
          if (v !== undefined) seen.add(v);
          await sleep(300);
        }
        expect(sent).toBe(4000);
        // after the flow: Prometheus's value equals `nfc counters` at the same moment
        const want = await countersOf(NF);
        expect(want.passed).toBe(4000);
        let got: number | undefined;
        for (let i = 0; i < 30 && (got = await value(passedQ)) !== want.passed; i++) await sleep(500);
        expect(got).toBe(want.passed);
        expect(seen.size, "values seen while packets flowed").toBeGreaterThanOrEqual(2);
        const all = await query(`nfc_counter_total{nf="${NF}"}`);
        expect(Object.fromEntries(all.map((r) => [r.metric.counter, Number(r.value[1])]))).toEqual({
          passed: want.passed,
          dropped: want.dropped,
        });
        expect(all[0]!.metric).toMatchObject({
          nf: NF,
          iface: `${lab.devA}@${lab.nsA}`,
          host: hostname(),
          job: "nfc",
        });
        expect(await value(`nfc_table_capacity{nf="${NF}",table="blocked"}`)).toBe(65536);
        expect(await value(`nfc_table_entries{nf="${NF}",table="blocked"}`)).toBe(0);
        expect(await value(`nfc_events_total{nf="${NF}",event="blocked"}`)).toBe(0);
        expect(await value(`nfc_events_dropped_total{nf="${NF}",event="blocked"}`)).toBe(0);
        // the sketch the source exports, with no --export on the command line: one source, exact
        expect(await value(`nfc_sketch_estimate{nf="${NF}",sketch="srcs",key="${lab.addrB}"}`)).toBe(
          want.passed,
        );
        const sum = await query(`sum by (counter) (nfc_counter_total{nf="${NF}"})`);
        console.log(
          `GET /api/v1/query?query=${passedQ}\n  -> ${JSON.stringify((await query(passedQ))[0])}\n` +
            `sum by (counter) (nfc_counter_total{nf="${NF}"}) -> ${JSON.stringify(sum.map((r) => [r.metric.counter, r.value[1]]))}\n` +
            `nfc counters ${NF} --json -> ${JSON.stringify(want)}; values seen while flowing: ${[...seen].sort((a, b) => a - b).join(", ")}`,
        );
      } finally {
        prom?.kill("SIGKILL");
        await metrics?.close();
        await cli("unload", NF);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
