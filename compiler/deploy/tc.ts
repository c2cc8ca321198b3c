// Attaching one interface, and the operations that depend on how it is attached: a bpf_link (XDP,
// tcx) pinned under the NF's pin directory, or, for TC hooks on kernels without tcx (Linux < 6.6)
// and with `--tc-mode clsact`, a clsact qdisc with a direct-action bpf filter (runner/tc.c: netlink
// through libbpf's bpf_tc_*). A filter has no link to pin: the record keeps its handle and priority
// (and whether nfc created the qdisc, so that unload removes only what it added).
// `--tc-mode auto` (default) tries tcx first and falls back to clsact when the kernel refuses the tcx
// attach type (EINVAL/EOPNOTSUPP), saying so.
import type { Manifest } from "../manifest.js";
import { deployFail } from "./errors.js";
import type { AttachKind, DeployKernel } from "./kernel.js";
import type { Attachment } from "./record.js";

export type TcMode = "auto" | "tcx" | "clsact";

const where = (dev: string, netns: string): string => `${dev}${netns ? ` (netns ${netns})` : ""}`;
const dir = (a: Attachment): string => (a.kind.endsWith("egress") ? "egress" : "ingress");
const ns = (a: Attachment): string => (a.netns === "" ? "-" : a.netns);

export function attachKind(
  hook: Manifest["hook"],
  xdpMode?: "native" | "generic",
  tcMode: TcMode = "auto",
): AttachKind {
  const tc = tcMode === "clsact" ? "clsact" : "tcx";
  if (hook === "tc_ingress") return `${tc}-ingress`;
  if (hook === "tc_egress") return `${tc}-egress`;
  return xdpMode === "native" ? "xdp-native" : xdpMode === "generic" ? "xdp-generic" : "xdp";
}

/** Attaches `prog` to `dev`; returns the attachment, a line for the user and its undo. */
export async function attachOne(
  k: DeployKernel,
  prog: string,
  kind: AttachKind,
  dev: string,
  netns: string,
  linkPin: string,
  tcMode: TcMode,
): Promise<{ attachment: Attachment; line: string; undo: () => Promise<void> }> {
  const nsArg = netns === "" ? "-" : netns;
  if (!kind.startsWith("clsact")) {
    const r = await k.send(`attach ${prog} ${kind} ${dev} ${nsArg} ${linkPin}`);
    if (r.ok) {
      const { unlinkSync } = await import("node:fs");
      return {
        attachment: {
          dev,
          netns,
          kind,
          ifindex: r.ifindex as number,
          link_pin: linkPin,
          link_id: r.link_id as number,
        },
        line: `attached to ${where(dev, netns)}: ${kind} link id ${String(r.link_id)}, pinned ${linkPin}`,
        undo: async () => unlinkSync(linkPin),
      };
    }
    if (r.errno === 19) deployFail("NF6002", { dev, netns });
    const noTcx = kind.startsWith("tcx") && (r.errno === 22 || r.errno === 95 || r.errno === 524);
    if (!noTcx || tcMode !== "auto") deployFail("NF6008", { dev, detail: r.error });
    const fallback = await attachOne(
      k,
      prog,
      kind.replace("tcx", "clsact") as AttachKind,
      dev,
      netns,
      linkPin,
      tcMode,
    );
    return { ...fallback, line: `${fallback.line} (tcx refused: ${r.error})` };
  }
  const d = kind.endsWith("egress") ? "egress" : "ingress";
  const r = await k.send(`tcattach ${prog} ${d} ${dev} ${nsArg}`);
  if (!r.ok) {
    if (r.errno === 19) deployFail("NF6002", { dev, netns });
    deployFail("NF6008", { dev, detail: r.error });
  }
  const tc = { handle: r.handle as number, priority: r.priority as number, created: r.created === true };
  const attachment: Attachment = {
    dev,
    netns,
    kind,
    ifindex: r.ifindex as number,
    link_pin: "",
    link_id: 0,
    tc,
  };
  return {
    attachment,
    line: `attached to ${where(dev, netns)}: clsact ${d} filter handle ${tc.handle} priority ${tc.priority}${tc.created ? " (clsact qdisc created)" : ""}`,
    undo: async () => void (await detachOne(k, attachment)),
  };
}

/** Detaches one attachment: unpins its link, or removes its clsact filter (and the qdisc nfc created). */
export async function detachOne(k: DeployKernel | undefined, a: Attachment): Promise<string> {
  if (!a.tc) {
    const { existsSync, unlinkSync } = await import("node:fs");
    if (existsSync(a.link_pin)) unlinkSync(a.link_pin);
    return `detached ${where(a.dev, a.netns)}: link id ${a.link_id}`;
  }
  const destroy = a.tc.created ? " destroy" : "";
  await k!.must(
    `tcdetach ${a.dev} ${ns(a)} ${dir(a)} ${a.tc.handle} ${a.tc.priority}${destroy}`,
    `detaching from ${a.dev}`,
  );
  return `detached ${where(a.dev, a.netns)}: clsact ${dir(a)} filter handle ${a.tc.handle}${destroy ? ", clsact qdisc removed" : ""}`;
}

/** Switches one attachment to program `prog` (a loaded program's name or a pinned path), atomically. */
export async function switchOne(
  k: DeployKernel,
  a: Attachment,
  prog: string,
): Promise<{ ok: boolean; error?: string }> {
  const r = a.tc
    ? await k.send(`tcattach ${prog} ${dir(a)} ${a.dev} ${ns(a)} ${a.tc.handle} ${a.tc.priority}`)
    : await k.send(`relink ${a.link_pin} ${prog}`);
  return r.ok ? { ok: true } : { ok: false, error: r.error };
}

/** Whether the attachment still runs a program (its interface exists, its link or filter is there). */
export async function attachedNow(k: DeployKernel, a: Attachment): Promise<boolean> {
  if (!a.tc) {
    const l = await k.linkInfo(a.link_pin);
    return !!l && l.ifindex !== 0;
  }
  const r = await k.send(`tcquery ${a.dev} ${ns(a)} ${dir(a)} ${a.tc.handle} ${a.tc.priority}`);
  return r.ok && (r.prog_id as number) !== 0;
}
