// The Prometheus exposition of `nfc metrics` with prom-client (text format 0.0.4): one Registry,
// metrics created once, their series replaced from a fresh reading (collect.ts) at every scrape,
// so an NF unloaded since disappears. Counters of the NF (`counter` declarations) are
// nfc_counter_total, summed over CPUs; event counts and drops, table fill and capacity, program
// runs and run time (kernel.bpf_stats_enabled=1), exported sketch values.
import { hostname } from "node:os";
import { Counter, Gauge, Registry } from "prom-client";
import type { NfSample } from "./collect.js";

const BASE = ["nf", "iface", "host"] as const;

export class Exposition {
  readonly registry = new Registry();
  private readonly all: (Counter | Gauge)[] = [];
  private readonly counter = this.c("nfc_counter_total", "An NF counter, summed over CPUs", ["counter"]);
  private readonly events = this.c("nfc_events_total", "Events sent to the NF's ring buffer", ["event"]);
  private readonly dropped = this.c(
    "nfc_events_dropped_total",
    "Events dropped because the ring buffer was full (the packet went on)",
    ["event"],
  );
  private readonly entries = this.g("nfc_table_entries", "Entries a table holds now", ["table"]);
  private readonly capacity = this.g("nfc_table_capacity", "Entries a table can hold", ["table"]);
  private readonly runs = this.c(
    "nfc_program_runs_total",
    "Runs of the NF's program (kernel.bpf_stats_enabled=1)",
    [],
  );
  private readonly runTime = this.c(
    "nfc_program_run_seconds_total",
    "Time spent in the NF's program (kernel.bpf_stats_enabled=1)",
    [],
  );
  private readonly topk = this.g("nfc_sketch_topk_count", "A top-k entry's count (exported sketch)", [
    "sketch",
    "key",
  ]);
  private readonly distinct = this.g("nfc_sketch_distinct", "A HyperLogLog group's cardinality estimate", [
    "sketch",
    "group",
  ]);
  private readonly estimate = this.g(
    "nfc_sketch_estimate",
    "A configured key's estimate (count-min family)",
    ["sketch", "key"],
  );

  constructor(readonly host = hostname()) {}

  /** Replaces every series with `samples`. */
  update(samples: readonly NfSample[]): void {
    for (const m of this.all) m.reset();
    for (const s of samples) {
      const l = { nf: s.nf, iface: s.iface, host: this.host };
      for (const c of s.counters) this.counter.inc({ ...l, counter: c.name }, c.value);
      for (const e of s.events) {
        this.events.inc({ ...l, event: e.event }, e.sent);
        this.dropped.inc({ ...l, event: e.event }, e.dropped);
      }
      for (const t of s.tables) {
        this.entries.set({ ...l, table: t.table }, t.entries);
        this.capacity.set({ ...l, table: t.table }, t.capacity);
      }
      if (s.program) {
        this.runs.inc(l, s.program.runs);
        this.runTime.inc(l, s.program.seconds);
      }
      for (const t of s.topk) this.topk.set({ ...l, sketch: t.sketch, key: t.key }, t.count);
      for (const d of s.distinct) this.distinct.set({ ...l, sketch: d.sketch, group: d.group }, d.value);
      for (const e of s.estimates) this.estimate.set({ ...l, sketch: e.sketch, key: e.key }, e.value);
    }
  }

  private c(name: string, help: string, labels: string[]): Counter {
    const m = new Counter({ name, help, labelNames: [...BASE, ...labels], registers: [this.registry] });
    this.all.push(m);
    return m;
  }

  private g(name: string, help: string, labels: string[]): Gauge {
    const m = new Gauge({ name, help, labelNames: [...BASE, ...labels], registers: [this.registry] });
    this.all.push(m);
    return m;
  }
}
