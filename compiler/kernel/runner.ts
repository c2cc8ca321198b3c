// KernelRunner: drives one `build/nfc-runner` process (one loaded BPF object) over its line
// protocol (runner/CONTEXT.md). One command is outstanding at a time; each has a timeout.
// Failures become KernelError carrying an NF5xxx diagnostic; a verifier rejection is a value.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import { diag } from "../../lang/diagnostics/catalogue.js";
import type { Diagnostic } from "../../lang/diagnostics/diagnostic.js";
import { verifierSpan } from "../codegen/line-map.js";
import { findRunner } from "../toolchain/tools.js";

export type Reply =
  | { ok: true; [field: string]: unknown }
  | ({ ok: false; error: string; errno?: number } & Record<string, unknown>);

export interface ProgramInfo {
  name: string;
  section: string;
  type: string;
  id: number;
  xlated_insns: number;
  verified_insns: number;
  jited_bytes: number;
}

export type LoadResult =
  | { ok: true; programs: ProgramInfo[]; maps: string[] }
  | { ok: false; diagnostic: Diagnostic; program: string; verifierLog: string; reply: Reply };

export interface RunResult {
  retval: number;
  data: Uint8Array;
  size: number;
  duration_ns: number;
  /** TC programs only: the `__sk_buff` fields read back after the run. */
  skb?: { mark: number; priority: number; tstamp: number };
  /** After `ringbuf(map)`: the records the run submitted, oldest first (runner/events.c). */
  events?: Uint8Array[];
}

/** `runtrace`: totals over every frame of a trace (durations are the kernel's, in ns). */
export interface TraceRunResult {
  count: number;
  duration_ns: number;
  min_ns: number;
  max_ns: number;
  /** retval -> number of frames that returned it */
  retvals: Map<number, number>;
}

export interface MapInfo {
  name: string;
  type: string;
  key_size: number;
  value_size: number;
  max_entries: number;
  flags: number;
  percpu: boolean;
  possible_cpus: number;
}

/** A map value: `value` for plain maps, `values` (one per possible CPU) for per-CPU maps. */
export interface MapValue {
  value?: Uint8Array;
  values?: Uint8Array[];
}

export class KernelError extends Error {
  constructor(
    readonly diagnostic: Diagnostic,
    readonly reply?: Reply,
  ) {
    super(`${diagnostic.code}: ${diagnostic.message}`);
  }
}

export const DEFAULT_TIMEOUT_MS = 30_000;

export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");
}

export function fromHex(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, "hex"));
}

export class KernelRunner {
  private readonly lines: AsyncIterator<string>;
  private queue: Promise<unknown> = Promise.resolve();
  private stderr = "";
  private exited: string | undefined;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly timeoutMs: number,
  ) {
    this.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    child.stderr.on("data", (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4096);
    });
    child.on("exit", (code, signal) => {
      this.exited = signal ? `killed by ${signal}` : `exited with code ${code}`;
    });
    child.stdin.on("error", () => undefined); // EPIPE after the runner died: reported by exchange()
    child.on("error", (e) => {
      this.exited = `could not start: ${e.message}`;
    });
  }

  /** Starts a runner process. Throws KernelError NF5006 when `build/nfc-runner` is missing. */
  static start(opts: { path?: string; timeoutMs?: number } = {}): KernelRunner {
    let path = opts.path;
    if (!path) {
      const found = findRunner();
      if (!found.tool) throw new KernelError(found.diagnostics[0]!);
      path = found.tool;
    }
    const child = spawn(path, [], { stdio: ["pipe", "pipe", "pipe"] });
    return new KernelRunner(child, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  /** Sends one raw command line and returns the runner's reply, ok or not. Throws KernelError
   *  (NF5011) only when the runner dies, times out or breaks the protocol. */
  send(line: string, timeoutMs = this.timeoutMs): Promise<Reply> {
    if (line.includes("\n")) throw new Error("runner command must be a single line");
    const next = this.queue.then(() => this.exchange(line, timeoutMs));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async exchange(line: string, timeoutMs: number): Promise<Reply> {
    const fault = (detail: string): KernelError =>
      new KernelError(diag("NF5011", undefined, { detail: `\`${line.slice(0, 80)}\`: ${detail}` }));
    if (this.exited) throw fault(`${this.exited}${this.stderrTail()}`);
    this.child.stdin.write(`${line}\n`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.child.kill("SIGKILL");
        reject(fault(`no reply within ${timeoutMs} ms (runner killed)`));
      }, timeoutMs);
    });
    try {
      const r = await Promise.race([this.lines.next(), timeout]);
      if (r.done) throw fault(`runner ${this.exited ?? "closed its output"}${this.stderrTail()}`);
      try {
        return JSON.parse(r.value) as Reply;
      } catch {
        throw fault(`reply is not JSON: ${r.value.slice(0, 200)}`);
      }
    } finally {
      clearTimeout(timer);
    }
  }

  private stderrTail(): string {
    return this.stderr.trim() === "" ? "" : `; stderr: ${this.stderr.trim()}`;
  }

  /** Sends a command whose failure is an error (NF5011 with the runner's message). */
  private async must(line: string, timeoutMs?: number): Promise<Reply & { ok: true }> {
    const r = await this.send(line, timeoutMs);
    if (!r.ok)
      throw new KernelError(
        diag("NF5011", undefined, { detail: `\`${line.split(" ")[0]}\`: ${r.error}` }),
        r,
      );
    return r;
  }

  async open(objectPath: string): Promise<string[]> {
    const r = await this.send(`open ${word(objectPath, "object path")}`);
    if (!r.ok) throw new KernelError(diag("NF5012", undefined, { object: objectPath, detail: r.error }), r);
    return r.programs as string[];
  }

  /** Sets a `const volatile` global (load-time config) before `load()`. */
  async config(name: string, value: Uint8Array): Promise<void> {
    await this.must(`config ${word(name, "name")} ${toHex(value)}`);
  }

  /**
   * Loads the opened object. A verifier rejection is returned (NF5009), not thrown; given the
   * object's .nf source, the diagnostic's span is the .nf line its BTF line info blames.
   */
  async load(objectName = "object", source?: { file: string; text: string }): Promise<LoadResult> {
    const r = await this.send("load", Math.max(this.timeoutMs, 120_000));
    if (r.ok) return { ok: true, programs: r.programs as ProgramInfo[], maps: r.maps as string[] };
    const program = typeof r.program === "string" ? r.program : "";
    const verifierLog = typeof r.verifier_log === "string" ? r.verifier_log : "";
    const diagnostic =
      verifierLog !== ""
        ? diag("NF5009", source && verifierSpan(verifierLog, source.file, source.text), {
            program: program || objectName,
            log: lastLines(verifierLog, 20),
          })
        : diag("NF5012", undefined, { object: objectName, detail: libbpfDetail(r) });
    return { ok: false, diagnostic, program, verifierLog, reply: r };
  }

  async run(
    program: string,
    data: Uint8Array,
    opts: { repeat?: number; cpu?: number } = {},
  ): Promise<RunResult> {
    let line = `run ${word(program, "program")} ${toHex(data)}`;
    if (opts.repeat !== undefined || opts.cpu !== undefined) line += ` ${opts.repeat ?? 1}`;
    if (opts.cpu !== undefined) line += ` ${opts.cpu}`;
    const r = await this.send(line);
    if (!r.ok) {
      const d = diag("NF5010", undefined, { program, errno: r.errno ?? 0, detail: r.error });
      throw new KernelError(d, r);
    }
    return {
      retval: r.retval as number,
      data: fromHex(r.data as string),
      size: r.size as number,
      duration_ns: r.duration_ns as number,
      skb: r.skb as RunResult["skb"],
      ...(Array.isArray(r.events) ? { events: (r.events as string[]).map(fromHex) } : {}),
    };
  }

  /** Reads ring buffer `map` (the object's, or one opened with `pinned`) from now on: every later
   *  `run` drains it and returns its records (runner/events.c). */
  async ringbuf(map: string): Promise<void> {
    await this.must(`ringbuf ${word(map, "map")}`);
  }

  /** Waits up to `timeoutMs` for ring buffer records; `more`: the ring holds more than one reply. */
  async events(timeoutMs = 0): Promise<{ records: Uint8Array[]; more: boolean }> {
    const r = await this.must(
      `events ${Math.max(0, Math.min(60_000, Math.floor(timeoutMs)))}`,
      timeoutMs + 10_000,
    );
    return { records: (r.events as string[]).map(fromHex), more: r.more === true };
  }

  /** Replays a trace file (compiler/bench/trace.ts) through `program`, one test_run (repeat 1)
   *  per frame, optionally pinned to `cpu` for the whole replay. Throws NF5010 on failure. */
  async runTrace(
    program: string,
    file: string,
    opts: { cpu?: number; timeoutMs?: number } = {},
  ): Promise<TraceRunResult> {
    let line = `runtrace ${word(program, "program")} ${word(file, "trace path")}`;
    if (opts.cpu !== undefined) line += ` ${opts.cpu}`;
    const r = await this.send(line, opts.timeoutMs ?? Math.max(this.timeoutMs, 600_000));
    if (!r.ok) {
      const d = diag("NF5010", undefined, { program, errno: r.errno ?? 0, detail: r.error });
      throw new KernelError(d, r);
    }
    const retvals = new Map<number, number>();
    for (const [v, n] of r.retvals as Array<[number, number]>) retvals.set(v, n);
    return {
      count: r.count as number,
      duration_ns: r.duration_ns as number,
      min_ns: r.min_ns as number,
      max_ns: r.max_ns as number,
      retvals,
    };
  }

  async update(map: string, key: Uint8Array, value: Uint8Array): Promise<void> {
    await this.must(`update ${word(map, "map")} ${toHex(key)} ${toHex(value)}`);
  }

  /** undefined when the key is absent. */
  async lookup(map: string, key: Uint8Array): Promise<MapValue | undefined> {
    const r = await this.must(`lookup ${word(map, "map")} ${toHex(key)}`);
    return r.found ? mapValue(r) : undefined;
  }

  /** true when the key existed. */
  async delete(map: string, key: Uint8Array): Promise<boolean> {
    const r = await this.must(`delete ${word(map, "map")} ${toHex(key)}`);
    return r.deleted === true;
  }

  async dump(map: string): Promise<Array<{ key: Uint8Array } & MapValue>> {
    const r = await this.must(`dump ${word(map, "map")}`);
    return (r.entries as Array<Record<string, unknown>>).map((e) => ({
      key: fromHex(e.key as string),
      ...mapValue(e),
    }));
  }

  async info(map: string): Promise<MapInfo> {
    const r = await this.must(`info ${word(map, "map")}`);
    return r as unknown as MapInfo;
  }

  /** Asks the runner to quit and waits for it (kills it after 5 s). Safe to call twice. */
  async close(): Promise<void> {
    if (this.exited) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        this.child.kill("SIGKILL");
        setTimeout(resolve, 1_000).unref();
      }, 5_000);
      const done = (): void => {
        clearTimeout(t);
        resolve();
      };
      this.child.once("exit", done);
      this.child.once("error", done);
      this.child.stdin.end("quit\n");
    });
  }
}

/** Arguments are space-separated: names and paths must not contain whitespace. */
function word(s: string, what: string): string {
  if (s === "" || /\s/.test(s))
    throw new Error(`runner ${what} must be non-empty without whitespace: ${JSON.stringify(s)}`);
  return s;
}

function mapValue(r: Record<string, unknown>): MapValue {
  if (Array.isArray(r.values)) return { values: (r.values as string[]).map(fromHex) };
  return { value: fromHex(r.value as string) };
}

function lastLines(text: string, n: number): string {
  return text.trimEnd().split("\n").slice(-n).join("\n");
}

function libbpfDetail(r: Reply): string {
  const log = typeof r.libbpf_log === "string" ? r.libbpf_log.trim() : "";
  const err = r.ok ? "" : r.error;
  return log === "" ? err : `${err}\n${lastLines(log, 8)}`;
}
