// The shared shape of a plug-in kind whose whole state is ONE map value per shard (fifo, pq,
// timer_wheel): the live bytes per CPU (shard 0 when not per-CPU), mapBytes and load for the
// structure's single map. Subclasses read and write the bytes at their layout's offsets.
import type { StateDecl } from "../../checked.js";
import type { KindStore } from "../kinds.js";
import { checkCpu, type RV } from "../layout.js";

export abstract class OneValueStore implements KindStore {
  abstract readonly kind: string;
  private readonly shards: Uint8Array[] = [];

  constructor(
    readonly name: string,
    readonly decl: StateDecl,
    readonly cpus: number,
    private readonly size: number,
  ) {}

  abstract op(op: string, args: Uint8Array[], cpu: number): RV | undefined;

  get perCpu(): boolean {
    return this.decl.params.per_cpu === true;
  }

  /** The live map value of CPU `cpu`'s shard (shard 0 when shared). */
  value(cpu = 0): Uint8Array {
    checkCpu(cpu, this.cpus);
    const s = this.perCpu ? cpu : 0;
    return (this.shards[s] ??= new Uint8Array(this.size));
  }

  mapBytes(map: string, cpu: number): Uint8Array {
    if (map !== this.name) throw new Error(`${this.kind} ${this.name} has no map ${map}`);
    return this.value(this.perCpu ? cpu : 0).slice();
  }

  load(map: string, cpu: number, bytes: Uint8Array): void {
    if (map !== this.name) return;
    this.value(this.perCpu ? cpu : 0).set(bytes.subarray(0, this.size));
  }
}
