// `nfc sketch NF NAME estimate KEY | contains KEY | top [N] | count [GROUP] | dump` and `nfc sketch
// merge FILE…`: a loaded NF's sketch read from its pinned map, every shard merged (sketch-image.ts),
// keys parsed by the manifest's element layout (codec.ts), queries answered by the interpreter's code.
import { readFileSync } from "node:fs";
import { formatLayout, parseLayout } from "./codec.js";
import { deployFail } from "./errors.js";
import { loadedNf, readShards, structureMaps, withMaps } from "./maps.js";
import {
  SKETCH_KINDS,
  asImage,
  contains,
  distinct,
  estimate,
  mergeImages,
  shardImage,
  type SketchImage,
} from "./sketch-image.js";

export type SketchQuery =
  | { op: "estimate" | "contains"; key: string }
  | { op: "count"; group?: string }
  | { op: "top"; n?: number }
  | { op: "dump" };

/** Which queries each kind answers (`estimate GROUP` on hll = `count GROUP`). */
const OPS: Record<string, readonly string[]> = {
  count_min: ["estimate", "dump"],
  count_sketch: ["estimate", "dump"],
  nitro: ["estimate", "dump"],
  bloom: ["contains", "dump"],
  hll: ["count", "estimate", "dump"],
  topk: ["top", "estimate", "dump"],
};

/** The sketch `name` of loaded NF `nf`, all shards merged. */
export async function readSketch(nf: string, name: string): Promise<SketchImage> {
  const loaded = loadedNf(nf, "sketch");
  const [main] = structureMaps(loaded, name, "sketch", SKETCH_KINDS);
  return withMaps(loaded, [main!], async (k) => {
    const shards = await readShards(k, main!);
    return mergeImages(shards.map((b) => shardImage(main!, b)));
  });
}

export interface SketchAnswer {
  text: string;
  json: unknown;
}

const U32_LAYOUT = {
  size: 4,
  ctype: "__u32",
  fields: [{ name: "group", offset: 0, size: 4, type: "u32", order: "host" as const }],
};

/** Answers `q` on an image; NF6019 for a query the kind does not have. */
export function answer(img: SketchImage, q: SketchQuery): SketchAnswer {
  if (!OPS[img.kind]!.includes(q.op))
    deployFail("NF6019", {
      name: img.name,
      kind: `${img.kind} sketch`,
      hint: `it answers ${OPS[img.kind]!.join(", ")}, not ${q.op}`,
    });
  const showKey = (hexKey: string): string =>
    formatLayout(img.element, new Uint8Array(Buffer.from(hexKey, "hex")));
  if (q.op === "dump") return { text: `${JSON.stringify(img)}\n`, json: img };
  if (img.kind === "hll" && (q.op === "count" || q.op === "estimate")) {
    const text = q.op === "count" ? q.group : q.key;
    const group =
      text === undefined ? 0 : Buffer.from(parseLayout(U32_LAYOUT, text, "group")).readUInt32LE(0);
    const n = distinct(img, group);
    return { text: `group ${group}: ${n} distinct\n`, json: { group, distinct: n } };
  }
  if (q.op === "top") {
    const rows = img.top!.slice(0, q.n ?? img.top!.length);
    return {
      text: rows.map((r) => `${showKey(r.key)} ${r.count}\n`).join("") || "(empty)\n",
      json: rows.map((r) => ({ key: showKey(r.key), count: r.count })),
    };
  }
  if (q.op === "estimate" || q.op === "contains") {
    const key = parseLayout(img.element, q.key, "key");
    const shown = formatLayout(img.element, key);
    if (q.op === "contains") {
      const c = contains(img, key);
      return { text: `${shown} ${c ? "maybe present" : "absent"}\n`, json: { key: shown, contains: c } };
    }
    const n = estimate(img, key);
    return { text: `${shown} ${n}\n`, json: { key: shown, estimate: n } };
  }
  return deployFail("NF6019", { name: img.name, kind: img.kind, hint: `no query ${q.op}` });
}

/** `nfc sketch merge`: the images in `files` merged (NF6023 unreadable, NF6022 different sketches). */
export function mergeFiles(files: readonly string[]): SketchImage {
  const images = files.map((f) => {
    let text: string;
    try {
      text = readFileSync(f, "utf8");
    } catch (e) {
      return deployFail("NF6023", { file: f, why: (e as Error).message });
    }
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (e) {
      return deployFail("NF6023", { file: f, why: `not JSON: ${(e as Error).message}` });
    }
    return asImage(v, f);
  });
  return mergeImages(images, files);
}

/** One line describing an image (merge's default output). */
export function describeImage(img: SketchImage): string {
  const g = Object.entries(img.geometry)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
  return `${img.name}: ${img.kind} (${g}), ${img.shards} shards merged\n`;
}
