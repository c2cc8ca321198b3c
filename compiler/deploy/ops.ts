// `nfc unload` and `nfc status`: what load created, removed or read back from the kernel.
// Unpinning is unlink(2) on bpffs: a link whose last reference was its pin detaches, and a map or
// program with no pin, fd or link left is freed by the kernel.
import { existsSync, readdirSync, rmdirSync, unlinkSync } from "node:fs";
import { forgetShared, isShared, sharedInUse } from "./shared.js";
import {
  removeRecord,
  readRecord,
  loadedNfs,
  writeRecord,
  writeKept,
  pinDir,
  type DeployRecord,
} from "./record.js";
import { DeployKernel } from "./kernel.js";
import { deployFail } from "./errors.js";
import { requireRoot } from "./load.js";
import { readCounters } from "./tables.js";
import { attachedNow, detachOne } from "./tc.js";

export interface UnloadOptions {
  dev?: string;
  keepMaps?: boolean;
}

const unpin = (path: string): boolean => {
  if (!existsSync(path)) return false;
  unlinkSync(path);
  return true;
};

export async function unloadNf(nf: string, o: UnloadOptions = {}): Promise<string[]> {
  requireRoot("unload");
  const { record, manifest, maps } = readRecord(nf);
  const lines: string[] = [];
  const detach = o.dev === undefined ? record.attachments : record.attachments.filter((a) => a.dev === o.dev);
  if (o.dev !== undefined && detach.length === 0)
    deployFail("NF6002", { dev: o.dev, netns: record.attachments.map((a) => a.netns).find((n) => n) ?? "" });
  const k = detach.some((a) => a.tc) ? await DeployKernel.start() : undefined;
  try {
    for (const a of detach) lines.push(await detachOne(k, a));
  } finally {
    await k?.close();
  }
  const left = record.attachments.filter((a) => !detach.includes(a));
  if (left.length > 0) {
    writeRecord({ ...record, attachments: left }, manifest);
    lines.push(`${nf} stays up on ${left.map((a) => a.dev).join(", ")}`);
    return lines;
  }
  unpin(record.prog_pin);
  lines.push(`unpinned program id ${record.prog_id}`);
  if (o.keepMaps)
    lines.push(`kept ${maps.length} maps pinned under ${pinDir(nf)}/ (a later load adopts them)`);
  else {
    const still = maps.filter((m) => isShared(m) && sharedInUse(m, nf));
    for (const m of maps.filter((x) => !still.includes(x))) {
      unpin(m.pin_path);
      if (isShared(m)) forgetShared(m);
    }
    lines.push(`removed ${maps.length - still.length} maps`);
    if (still.length)
      lines.push(
        `kept ${still.length} shared maps other loaded NFs use (${still.map((m) => m.name).join(", ")})`,
      );
    const dir = pinDir(nf);
    if (existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
  }
  removeRecord(nf);
  if (o.keepMaps) writeKept(nf, maps);
  lines.push(`${nf} unloaded`);
  return lines;
}

export interface NfStatus {
  nf: string;
  hook: string;
  runtime: string;
  object: string;
  program: { id: number; pinned: boolean };
  attachments: Array<{
    dev: string;
    netns: string;
    kind: string;
    link_id: number;
    tc?: { handle: number; priority: number };
    attached: boolean;
  }>;
  maps: Array<{
    name: string;
    id: number;
    kind: string;
    entries: number;
    capacity: number;
    pin_path: string;
  }>;
  counters: Record<string, string>;
  configs: Record<string, string>;
}

async function statusOf(k: DeployKernel, nf: string): Promise<NfStatus> {
  const { record, manifest, maps } = readRecord(nf);
  const prog = await k.progInfo(record.prog_pin);
  const attachments: NfStatus["attachments"] = [];
  for (const a of record.attachments) {
    attachments.push({
      dev: a.dev,
      netns: a.netns,
      kind: a.kind,
      link_id: a.link_id,
      ...(a.tc ? { tc: a.tc } : {}),
      attached: await attachedNow(k, a),
    });
  }
  const mapRows: NfStatus["maps"] = [];
  for (const m of maps) {
    if (!existsSync(m.pin_path)) continue;
    const id = await k.openPinned(m.kernel_name, m.pin_path);
    mapRows.push({
      name: m.name,
      id,
      kind: m.kind,
      entries: await k.count(m.kernel_name),
      capacity: m.max_entries,
      pin_path: m.pin_path,
    });
  }
  const counters = await readCounters(k, manifest, maps);
  return {
    nf,
    hook: record.hook,
    runtime: record.runtime,
    object: record.object,
    program: { id: prog?.id ?? record.prog_id, pinned: !!prog },
    attachments,
    maps: mapRows,
    counters: Object.fromEntries(counters.map((c) => [c.name, c.total.toString()])),
    configs: record.configs,
  };
}

export async function status(nf?: string): Promise<NfStatus[]> {
  requireRoot("status");
  const names = nf === undefined ? loadedNfs() : [nf];
  if (nf !== undefined) readRecord(nf); // NF6001 for an unknown NF
  const k = await DeployKernel.start();
  try {
    const out: NfStatus[] = [];
    for (const n of names) out.push(await statusOf(k, n));
    return out;
  } finally {
    await k.close();
  }
}

export function formatStatus(ss: NfStatus[]): string {
  if (ss.length === 0) return "no NF loaded\n";
  const lines: string[] = [];
  for (const s of ss) {
    lines.push(
      `${s.nf}: ${s.hook}, program id ${s.program.id}${s.program.pinned ? "" : " (pin missing)"}, runtime ${s.runtime === "kmod" ? "kmod" : "pure"} (${s.object})`,
    );
    for (const a of s.attachments)
      lines.push(
        `  ${a.dev}${a.netns ? ` (netns ${a.netns})` : ""}: ${a.tc ? `${a.kind} filter handle ${a.tc.handle} priority ${a.tc.priority}` : `${a.kind} link id ${a.link_id}`}${a.attached ? "" : " DETACHED (interface or filter gone)"}`,
      );
    for (const m of s.maps) lines.push(`  map ${m.name} (${m.kind}): ${m.entries}/${m.capacity} entries`);
    if (Object.keys(s.counters).length > 0)
      lines.push(
        `  counters: ${Object.entries(s.counters)
          .map(([n, v]) => `${n}=${v}`)
          .join(" ")}`,
      );
    if (Object.keys(s.configs).length > 0)
      lines.push(
        `  configs: ${Object.entries(s.configs)
          .map(([n, v]) => `${n}=${v}`)
          .join(" ")}`,
      );
  }
  return `${lines.join("\n")}\n`;
}

export type { DeployRecord };
