// `nfc metrics [NF...] --listen ADDR:PORT`: an HTTP server answering GET /metrics with a fresh
// reading of the NFs (collect.ts) in Prometheus text format (exposition.ts). One scrape at a time:
// concurrent scrapes wait for the reading in progress. NF6051 for a bad or busy address.
import { createServer, type Server } from "node:http";
import { isIP } from "node:net";
import { deployFail } from "../deploy/errors.js";
import { requireRoot } from "../deploy/load.js";
import { collect, type SketchExport } from "./collect.js";
import { Exposition } from "./exposition.js";

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

export function parseListen(text: string): { host: string; port: number } {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:]+):(\d{1,5})$/.exec(text);
  const host = m?.[1]?.replace(/^\[|\]$/g, "") ?? "";
  const port = Number(m?.[2] ?? NaN);
  if (!m || isIP(host) === 0 || !(port >= 0 && port <= 65535))
    deployFail("NF6051", { what: text, why: "expected ADDR:PORT with an IP address and a port 0-65535" });
  return { host, port };
}

/** `NF:SKETCH` or `NF:SKETCH:KEY,KEY` (keys: count-min estimates, hll groups); undefined if malformed. */
export function parseExport(text: string): SketchExport | undefined {
  const [nf, sketch, ...rest] = text.split(":");
  const keys = rest.join(":"); // IPv6 keys hold colons
  if (!nf || !sketch) return undefined;
  return { nf, sketch, keys: keys ? keys.split(",").filter((k) => k !== "") : [] };
}

export async function serveMetrics(
  listen: string,
  nfs: readonly string[],
  exports: readonly SketchExport[],
): Promise<MetricsServer> {
  requireRoot("metrics");
  const { host, port } = parseListen(listen);
  const expo = new Exposition();
  let reading: Promise<string> | undefined;
  const scrape = async (): Promise<string> => {
    expo.update(await collect(nfs, exports));
    return expo.registry.metrics();
  };
  const server: Server = createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "/").split("?")[0] !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("nfc metrics: GET /metrics\n");
      return;
    }
    reading ??= scrape().finally(() => (reading = undefined));
    reading.then(
      (text) => res.writeHead(200, { "content-type": expo.registry.contentType }).end(text),
      (e: unknown) => res.writeHead(500, { "content-type": "text/plain" }).end(`${(e as Error).message}\n`),
    );
  });
  const failed = await new Promise<Error | undefined>((resolve) => {
    server.once("error", resolve);
    server.listen(port, host, () => resolve(undefined));
  });
  if (failed) deployFail("NF6051", { what: listen, why: failed.message });
  const addr = server.address();
  const url =
    typeof addr === "object" && addr
      ? `http://${host.includes(":") ? `[${host}]` : host}:${addr.port}/metrics`
      : "";
  return {
    url,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
