// The deploy commands of build/nfc-runner (runner/deploy.c, protocol in runner/CONTEXT.md) over a
// KernelRunner: pin, reuse, attach, and read back links, programs, maps and the kernel's id lists.
// Failures become DeployError NF6015 naming the step, except where a caller maps the errno itself.
import { KernelRunner, toHex, type Reply } from "../kernel/runner.js";
import { runnerPath } from "../toolchain/tools.js";
import { deployFail } from "./errors.js";

export type AttachKind =
  "xdp" | "xdp-native" | "xdp-generic" | "tcx-ingress" | "tcx-egress" | "clsact-ingress" | "clsact-egress";

export interface KernelIds {
  progs: number[];
  maps: number[];
  links: number[];
}

export interface LinkInfo {
  id: number;
  prog_id: number;
  type: number;
  /** 0 once the interface is gone (its namespace deleted): the link is defunct. */
  ifindex: number;
}

export class DeployKernel {
  private constructor(readonly runner: KernelRunner) {}

  /** Starts a runner (`path`: tests) and checks it has the deploy commands (NF6016 otherwise). */
  static async start(path?: string): Promise<DeployKernel> {
    const runner = KernelRunner.start(path ? { path } : {});
    const v = await runner.send("version");
    if (!v.ok || typeof v.deploy !== "number") {
      await runner.close();
      deployFail("NF6016", { runner: path ?? runnerPath() });
    }
    return new DeployKernel(runner);
  }

  close(): Promise<void> {
    return this.runner.close();
  }

  /** Sends a command; a failure is NF6015 naming `step`. */
  async must(line: string, step: string): Promise<Reply & { ok: true }> {
    const r = await this.runner.send(line);
    if (!r.ok) deployFail("NF6015", { step, detail: r.error });
    return r;
  }

  /** Raw reply, for callers that map errnos to their own codes. */
  send(line: string): Promise<Reply> {
    return this.runner.send(line);
  }

  async pinMap(map: string, path: string): Promise<void> {
    await this.must(`pin ${map} ${path}`, `pinning map \`${map}\``);
  }

  async pinProgram(prog: string, path: string): Promise<void> {
    await this.must(`pinprog ${prog} ${path}`, `pinning program \`${prog}\``);
  }

  /** Opens the map pinned at `path` under `name` for the map commands; returns its id. */
  async openPinned(name: string, path: string): Promise<number> {
    const r = await this.must(`pinned ${name} ${path}`, `opening pinned map \`${name}\``);
    return r.id as number;
  }

  async linkInfo(path: string): Promise<LinkInfo | undefined> {
    const r = await this.runner.send(`linkinfo ${path}`);
    return r.ok ? (r as unknown as LinkInfo) : undefined;
  }

  async progInfo(path: string): Promise<{ id: number; name: string; type: string } | undefined> {
    const r = await this.runner.send(`proginfo ${path}`);
    return r.ok ? (r as unknown as { id: number; name: string; type: string }) : undefined;
  }

  async count(map: string): Promise<number> {
    return (await this.must(`count ${map}`, `counting \`${map}\``)).count as number;
  }

  async ids(): Promise<KernelIds> {
    const r = await this.must("ids", "listing kernel objects");
    return { progs: r.progs as number[], maps: r.maps as number[], links: r.links as number[] };
  }

  /** update with a mode: `noexist` adds only, `exist` replaces only, `any` either. */
  update(
    map: string,
    key: Uint8Array,
    value: Uint8Array,
    mode: "any" | "noexist" | "exist" = "any",
  ): Promise<Reply> {
    return this.runner.send(`update ${map} ${toHex(key)} ${toHex(value)} ${mode}`);
  }
}
