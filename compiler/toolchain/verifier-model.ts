// The verifier model: what the kernel verifier will walk, estimated from the object clang produced
// (so inlined stdlib helpers, clang's unrolling and its code layout are measured, not guessed).
// `llvm-objdump -d -l` gives every instruction with the line it came from (clang compiles the C with
// `#line` directives, codegen/line-map.ts: a statement's line is its .nf line, any other line its
// own .bpf.c line); each `for` of the generated C is found by its header line and its closing
// brace, and the instructions of a loop are the range from the first instruction located at one of
// the lines its C lines are presumed to be to the last, or to the last backward jump into it. A loop clang kept (a
// backward jump inside that range) is walked once per iteration by the verifier; an unrolled one
// is already repeated in the object. Per instruction, the multiplier is the product of the trip
// counts of the kept loops around it. Three estimates, each an upper bound calibrated against the
// host kernel (test/verifier-model.test.ts builds growing programs and loads them):
//   verified  VERIFY_FACTOR x sum of multipliers                     <= 1,000,000 (BPF_COMPLEXITY_LIMIT_INSNS)
//   pending   sum of multipliers over conditional jumps              <= 8,192 (BPF_COMPLEXITY_LIMIT_JMP_SEQ)
//   jump      per jump: instructions crossed + PATCH_PER_CALL x calls crossed  <= 32,767 (16-bit offset)
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { diag } from "../../lang/diagnostics/catalogue.js";
import type { Diagnostic } from "../../lang/diagnostics/diagnostic.js";
import type { Span } from "../../lang/span.js";
import { findLlvmTool } from "./tools.js";

export const VERIFIED_MAX = 1_000_000;
export const PENDING_MAX = 8_192;
export const JUMP_RANGE = 32_767;
/** Verified instructions per instruction of the object and iteration (branches re-walk code). */
export const VERIFY_FACTOR = 8;
/** Verified instructions per instruction of a stdlib helper's scan and iteration (stdlibLoops):
 *  calibrated on topk (test/verifier-model.test.ts). */
export const STDLIB_FACTOR = 3;
/** Instructions the kernel may add when it inlines a helper call (an array lookup becomes ~8). */
export const PATCH_PER_CALL = 8;

export interface CLoop {
  /** 1-based lines of the `for (...) {` header and of its closing brace in the generated C. */
  first: number;
  last: number;
  trip: number;
  /** The .nf position of the loop, from the provenance comment before it. */
  at?: { line: number; col: number };
  /** `file:line` (basenames) of every line of the loop as clang saw it (see presumedLines). */
  locs: Set<string>;
  /** A stdlib helper's loop (stdlibLoops): its instruction range in the object, not C lines. */
  range?: { from: number; to: number };
}

/** For each line of `compiled` other than `#line` directives, the `file:line` clang presumes. */
export function presumedLines(compiled: string): string[] {
  const out: string[] = [];
  let file = "";
  let line = 1;
  for (const text of compiled.split("\n")) {
    const d = /^#line (\d+) "(.*)"$/.exec(text);
    if (d) {
      line = Number(d[1]);
      file = basename(d[2]!);
      continue;
    }
    out.push(`${file}:${line}`);
    line++;
  }
  return out;
}

/** The `for` loops of generated C (tab-indented, one statement per line, as codegen prints it). */
export function loopsOfC(c: string, presumed: string[]): CLoop[] {
  const lines = c.split("\n");
  const out: CLoop[] = [];
  let at: CLoop["at"];
  lines.forEach((text, i) => {
    const prov = /^\t*\/\* [^ ]+:(\d+):(\d+) \*\/$/.exec(text);
    if (prov) at = { line: Number(prov[1]), col: Number(prov[2]) };
    const head = /^(\t*)for \([^;]*= (\d+)U?L*; [^;]*< (\d+)U?L*; /.exec(text);
    if (!head) return;
    const indent = head[1]!;
    let j = i + 1;
    while (j < lines.length && lines[j] !== `${indent}}`) j++;
    const locs = new Set(presumed.slice(i, j + 1));
    out.push({
      first: i + 1,
      last: j + 1,
      trip: Math.max(0, Number(head[3]) - Number(head[2])),
      ...(at ? { at } : {}),
      locs,
    });
  });
  return out;
}

export interface Insn {
  /** Instruction index (a 64-bit immediate load takes two). */
  idx: number;
  /** `file:line` (basename) it came from. */
  loc?: string;
  cond: boolean;
  call: boolean;
  /** Jump target index, for jumps. */
  target?: number;
}

/** Parses `llvm-objdump -d -l --no-show-raw-insn` of one program section. */
export function parseObjdump(text: string): Insn[] {
  const out: Insn[] = [];
  let loc: string | undefined;
  for (const raw of text.split("\n")) {
    const src = /^; (.*):(\d+)$/.exec(raw);
    if (src) {
      loc = `${basename(src[1]!)}:${src[2]}`;
      continue;
    }
    const m = /^\s+(\d+):\s+(.*)$/.exec(raw);
    if (!m) continue;
    const idx = Number(m[1]);
    const body = m[2]!;
    out.push({
      idx,
      ...(loc !== undefined ? { loc } : {}),
      cond: /^if /.test(body),
      call: /^call /.test(body),
      ...jumpTarget(idx, body),
    });
  }
  return out;
}

/** A jump's target index: from the symbolic address (`<f+0x1a8>`, bytes) or the offset, which
 *  llvm-objdump prints in decimal or (LLVM 19) hex. */
function jumpTarget(idx: number, body: string): { target?: number } {
  if (!/gotol? /.test(body)) return {};
  const sym = /<[^<>+]+(?:\+0x([0-9a-f]+))?>/.exec(body);
  if (sym) return { target: sym[1] ? parseInt(sym[1], 16) / 8 : 0 };
  const off = /gotol? ([+-])(0x[0-9a-f]+|\d+)/.exec(body);
  return off ? { target: idx + 1 + (off[1] === "-" ? -1 : 1) * Number(off[2]) } : {};
}

export interface LoopCost {
  loop: CLoop;
  /** Instruction index range of the loop in the object, and whether clang kept it as a loop. */
  from: number;
  to: number;
  kept: boolean;
  /** This loop's share of the verified estimate (its instructions with their multipliers). */
  verified: number;
}

export interface Estimate {
  verified: number;
  pending: number;
  /** The longest jump after the kernel's patching, and the jump instruction. */
  jump: number;
  jumpAt?: Insn;
  loops: LoopCost[];
}

/** Loops inside stdlib helpers (no `for` of the generated C names their bound): per header, the
 *  trip count read from the helper calls in the generated C (the largest, when several
 *  structures call it). A backward jump whose target lies in such a header is one of these. */
export const STDLIB_LOOPS: readonly { file: string; trip: (c: string) => number }[] = [
  // topk's three scans of its k slots: nf_topk_add/count(val, k, ksz, unit, ...)
  { file: "topk.h", trip: (c) => maxOf(c, /nf_topk_(?:add|count)\([^,]+, (\d+),/g) },
];

function maxOf(c: string, re: RegExp): number {
  return Math.max(0, ...[...c.matchAll(re)].map((m) => Number(m[1])));
}

/** The kept loops of stdlib helpers in the object, as loops of `trip` iterations. Overlapping
 *  back edges (a scan's several exits, clang's rotated loops) are merged into one range: a helper's
 *  scans are not nested in each other. */
export function stdlibLoops(insns: Insn[], c: string): CLoop[] {
  const at = new Map(insns.map((x) => [x.idx, x]));
  const ranges: { from: number; to: number; trip: number }[] = [];
  for (const x of insns) {
    if (x.target === undefined || x.target > x.idx || x.call) continue;
    const head = at.get(x.target)?.loc;
    const entry = STDLIB_LOOPS.find((l) => head?.startsWith(`${l.file}:`));
    if (entry) ranges.push({ from: x.target, to: x.idx, trip: entry.trip(c) });
  }
  ranges.sort((a, b) => a.from - b.from);
  const merged: typeof ranges = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r.from <= last.to) {
      last.to = Math.max(last.to, r.to);
      last.trip = Math.max(last.trip, r.trip);
    } else merged.push({ ...r });
  }
  return merged.map((r) => ({
    first: 0,
    last: 0,
    trip: r.trip,
    locs: new Set(),
    range: { from: r.from, to: r.to },
  }));
}

export function estimate(insns: Insn[], loops: CLoop[]): Estimate {
  const costs: LoopCost[] = [];
  for (const loop of loops)
    if (loop.range) costs.push({ loop, from: loop.range.from, to: loop.range.to, kept: true, verified: 0 });
  for (const loop of loops) {
    if (loop.range) continue;
    const mine = insns.filter((x) => x.loc !== undefined && loop.locs.has(x.loc));
    if (mine.length === 0) continue;
    const from = Math.min(...mine.map((x) => x.idx));
    let to = Math.max(...mine.map((x) => x.idx));
    // The back edge is often located at the body's last inlined helper line: a backward jump into
    // the range extends it (repeat: a nested loop's range grows its outer one's).
    for (let grown = true; grown;) {
      grown = false;
      for (const x of insns)
        if (x.target !== undefined && x.idx > to && x.target >= from && x.target <= to) {
          to = x.idx;
          grown = true;
        }
    }
    const kept = insns.some(
      (x) => x.idx >= from && x.idx <= to && x.target !== undefined && x.target <= x.idx && x.target >= from,
    );
    costs.push({ loop, from, to, kept, verified: 0 });
  }
  const kept = costs.filter((l) => l.kept);
  let verified = 0;
  let pending = 0;
  for (const x of insns) {
    const around = kept.filter((l) => x.idx >= l.from && x.idx <= l.to);
    const mult = around.reduce((n, l) => n * Math.max(1, l.loop.trip), 1);
    // a stdlib scan: each iteration's branches are pruned at once (STDLIB_FACTOR); about a quarter of
    // its conditional jumps leave a state pending until the path ends (calibrated on topk: a user
    // loop of 16 topk.add at k = 256 fails with "8193 jumps", 8 load)
    const scan = around.some((l) => l.loop.range);
    const cost = (scan ? STDLIB_FACTOR : VERIFY_FACTOR) * mult;
    verified += cost;
    if (x.cond) pending += scan ? mult / 4 : mult;
    for (const l of around) l.verified += cost;
  }
  // a kept loop's own test is decided in every iteration (the verifier knows the counter)
  for (const l of kept.filter((l) => !l.loop.range)) {
    const outer = kept
      .filter((o) => o !== l && !o.loop.range && o.from <= l.from && o.to >= l.to)
      .reduce((n, o) => n * Math.max(1, o.loop.trip), 1);
    pending -= l.loop.trip * outer;
  }
  // calls before each index, for the calls a jump crosses
  const callsBefore: number[] = [];
  let calls = 0;
  for (const x of insns) {
    callsBefore[x.idx] = calls;
    if (x.call) calls++;
  }
  const before = (idx: number): number => {
    for (let i = idx; i >= 0; i--) if (callsBefore[i] !== undefined) return callsBefore[i]!;
    return 0;
  };
  let jump = 0;
  let jumpAt: Insn | undefined;
  for (const x of insns) {
    if (x.target === undefined || x.call) continue;
    const [a, b] = x.target > x.idx ? [x.idx, x.target] : [x.target, x.idx];
    const span = b - a + PATCH_PER_CALL * (before(b) - before(a));
    if (span > jump) {
      jump = span;
      jumpAt = x;
    }
  }
  return { verified, pending, jump, ...(jumpAt ? { jumpAt } : {}), loops: costs };
}

/** Disassembles `objectPath` with llvm-objdump; undefined when the tool is missing or fails. */
export function disassemble(tool: string, objectPath: string): string | undefined {
  const r = spawnSync(tool, ["-d", "-l", "--no-show-raw-insn", objectPath], {
    encoding: "utf8",
    maxBuffer: 256 << 20,
    timeout: 120_000,
  });
  return r.status === 0 ? r.stdout : undefined;
}

/** The .nf position of an instruction's location: its .nf line, with the column of the first
 *  provenance comment naming that line (a generated-C location: the comment at or before it). */
function positionOf(
  c: string,
  nfFile: string,
  loc: string | undefined,
): { line: number; col: number } | undefined {
  if (!loc) return undefined;
  const [file, n] = [loc.slice(0, loc.lastIndexOf(":")), Number(loc.slice(loc.lastIndexOf(":") + 1))];
  const lines = c.split("\n");
  const prov = (t: string) => /^\t*\/\* [^ ]+:(\d+):(\d+) \*\/$/.exec(t);
  if (file === nfFile) {
    for (const t of lines) {
      const m = prov(t);
      if (m && Number(m[1]) === n) return { line: n, col: Number(m[2]) };
    }
    return { line: n, col: 1 };
  }
  for (let i = Math.min(n, lines.length) - 1; i >= 0; i--) {
    const m = prov(lines[i]!);
    if (m) return { line: Number(m[1]), col: Number(m[2]) };
  }
  return undefined;
}

/** The NF4203/NF4204/NF4205 diagnostics for one compiled object (none when within the model). */
export function verifierLimits(
  e: Estimate,
  insns: Insn[],
  c: string,
  nfFile: string,
  span: (at: { line: number; col: number } | undefined) => Span,
  forceJump = false,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  // inside another kept loop: a range within its range (equal ranges: the later C loop is inside)
  const inside = (l: LoopCost, o: LoopCost): boolean =>
    o.from <= l.from && o.to >= l.to && (o.from !== l.from || o.to !== l.to || o.loop.first < l.loop.first);
  // the loop to blame is a user's (a stdlib helper's loop is blamed on the user loop around it)
  const user = e.loops.filter((l) => l.kept && !l.loop.range);
  const outermost = user.filter((l) => !user.some((o) => o !== l && inside(l, o)));
  const worst = [...outermost].sort((a, b) => b.verified - a.verified)[0];
  const what = worst ? `this loop (${worst.loop.trip} iterations)` : "the handler";
  if (e.verified > VERIFIED_MAX)
    out.push(diag("NF4203", span(worst?.loop.at), { what, n: e.verified, max: VERIFIED_MAX }));
  if (e.pending > PENDING_MAX)
    out.push(diag("NF4204", span(worst?.loop.at), { what, n: e.pending, max: PENDING_MAX }));
  if ((e.jump > JUMP_RANGE || forceJump) && e.jumpAt?.target !== undefined) {
    // the first statement out of the jump's reach: the jump range, counted from its start
    const from = Math.min(e.jumpAt.idx, e.jumpAt.target);
    let calls = 0;
    let loc: string | undefined;
    for (const x of insns) {
      if (x.idx < from) continue;
      if (x.loc?.startsWith(`${nfFile}:`)) loc = x.loc;
      if (x.idx - from + PATCH_PER_CALL * calls > Math.min(JUMP_RANGE, e.jump - 1)) break;
      if (x.call) calls++;
    }
    out.push(
      diag("NF4205", span(positionOf(c, nfFile, loc)), {
        n: Math.max(e.jump, JUMP_RANGE + 1),
        max: JUMP_RANGE,
      }),
    );
  }
  return out;
}

/** Disassembles `object` (compiled from `compiled`, the C `c` with `#line` directives) and
 *  estimates it; undefined without llvm-objdump. */
export function estimateObject(
  object: Uint8Array,
  c: string,
  compiled: string,
): { estimate: Estimate; insns: Insn[] } | undefined {
  const tool = findLlvmTool("llvm-objdump");
  if (!tool) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "nfc-model-"));
  try {
    const path = join(dir, "prog.bpf.o");
    writeFileSync(path, object);
    const text = disassemble(tool, path);
    if (text === undefined) return undefined;
    const insns = parseObjdump(text);
    const loops = [...loopsOfC(c, presumedLines(compiled)), ...stdlibLoops(insns, c)];
    return { estimate: estimate(insns, loops), insns };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The model's diagnostics for one object, at positions of `source` (the .nf text of `file`).
 *  `forceJump`: clang already found a jump out of range (in a -mcpu=v2 build; `object` is the v4
 *  one), so NF4205 is reported at the longest jump whatever the estimate. */
export function checkObject(
  object: Uint8Array,
  c: string,
  compiled: string,
  source: string,
  file: string,
  forceJump = false,
): Diagnostic[] {
  const r = estimateObject(object, c, compiled);
  if (!r) return [];
  const whole: Span = { file, start: 0, end: 0, line: 1, col: 1 };
  const lines = source.split("\n");
  const span = (at: { line: number; col: number } | undefined): Span => {
    if (!at) return whole;
    const start = lines.slice(0, at.line - 1).reduce((n, l) => n + l.length + 1, 0) + at.col - 1;
    return { file, start, end: start + 1, line: at.line, col: at.col };
  };
  return verifierLimits(r.estimate, r.insns, c, basename(file), span, forceJump);
}

/** The deepest stack access of a disassembled program (`r10 - N` in any form) and its location:
 *  of the accesses at that depth, the first located at a statement (a line of `nfFile` from
 *  `fromLine` on: the handler, not a declaration the prologue works for), else the first. */
export function deepestStack(text: string, nfFile = "", fromLine = 0): { bytes: number; loc?: string } {
  let loc: string | undefined;
  let best: { bytes: number; loc?: string } = { bytes: 0 };
  const fp = new Set<string>();
  const inNf = (l?: string) =>
    nfFile !== "" && l?.startsWith(`${nfFile}:`) === true && Number(l.slice(nfFile.length + 1)) >= fromLine;
  for (const raw of text.split("\n")) {
    const src = /^; (.*):(\d+)$/.exec(raw);
    if (src) {
      loc = `${basename(src[1]!)}:${src[2]}`;
      continue;
    }
    // `*(u64 *)(r10 - N)`, or an address `rX = r10` then `rX += -N`
    const copy = /^\s+\d+:\s+(r\d+) = (r\d+)?/.exec(raw);
    if (copy) {
      if (copy[2] === "r10") fp.add(copy[1]!);
      else fp.delete(copy[1]!);
    }
    const add = /^\s+\d+:\s+(r\d+) \+= -(0x[0-9a-f]+|\d+)$/.exec(raw);
    const m = /r10 - (0x[0-9a-f]+|\d+)/.exec(raw) ?? (add && fp.has(add[1]!) ? [add[0], add[2]] : null);
    if (!m) continue;
    const bytes = Number(m[1]);
    if (bytes > best.bytes || (bytes === best.bytes && !inNf(best.loc) && inNf(loc)))
      best = { bytes, ...(loc !== undefined ? { loc } : {}) };
  }
  return best;
}

/** NF4206 for an object built with a raised stack limit (clang refused the frame at 512 bytes):
 *  the deepest access, at the .nf statement it belongs to. */
export function checkStack(object: Uint8Array, c: string, source: string, file: string): Diagnostic[] {
  const tool = findLlvmTool("llvm-objdump");
  if (!tool) return [];
  const dir = mkdtempSync(join(tmpdir(), "nfc-stack-"));
  try {
    const path = join(dir, "prog.bpf.o");
    writeFileSync(path, object);
    const text = disassemble(tool, path);
    if (text === undefined) return [];
    const handler = source.split("\n").findIndex((l) => /^\s*on\s+packet\b/.test(l)) + 1;
    const deep = deepestStack(text, basename(file), handler);
    const at = positionOf(c, basename(file), deep.loc);
    const lines = source.split("\n");
    const start = at ? lines.slice(0, at.line - 1).reduce((n, l) => n + l.length + 1, 0) + at.col - 1 : 0;
    const span: Span = at
      ? { file, start, end: start + 1, line: at.line, col: at.col }
      : { file, start: 0, end: 0, line: 1, col: 1 };
    return [diag("NF4206", span, { n: Math.max(deep.bytes, STACK_MAX + 1), max: STACK_MAX })];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** BPF's stack, bytes per program frame. */
export const STACK_MAX = 512;
