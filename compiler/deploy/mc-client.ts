// The memcached client the live test and `npm run bench -- memcached` run in the client namespace
// (tests and bench only): real protocol bytes, UDP frames (request id, sequence 0, 1 datagram,
// reserved 0) and TCP text commands, bounded in count (argv) and time (a 60 s watchdog; 300 ms per
// UDP reply). Written to a file and run with node inside `ip netns exec`; prints one JSON line.
export const MC_CLIENT = `import dgram from "node:dgram";
import net from "node:net";
setTimeout(() => process.exit(3), 60000).unref();
const [server, mode, ...args] = process.argv.slice(2);
const PORT = 11211;
const sock = dgram.createSocket("udp4");
let waiting = null;
sock.on("message", (m) => { if (waiting && m.readUInt16BE(0) === waiting.id) { const w = waiting; waiting = null; w.resolve(m); } });
let nextId = 1;
function udp(text, id = (nextId = (nextId % 65535) + 1)) {
  const b = Buffer.concat([Buffer.from([id >> 8, id & 255, 0, 0, 0, 1, 0, 0]), Buffer.from(text, "latin1")]);
  return new Promise((resolve) => {
    const t = setTimeout(() => { waiting = null; resolve(null); }, 300);
    waiting = { id, resolve: (m) => { clearTimeout(t); resolve(m); } };
    sock.send(b, PORT, server);
  });
}
function tcp(text) {
  return new Promise((resolve, reject) => {
    const c = net.connect(PORT, server, () => c.write(text));
    let out = "";
    c.on("data", (d) => { out += d.toString("latin1"); if (/(END|STORED|DELETED|NOT_FOUND|OK)\\r\\n$/.test(out)) { c.end(); resolve(out); } });
    c.on("error", reject);
    setTimeout(() => { c.destroy(); resolve(out); }, 3000).unref();
  });
}
const valueOf = (m) => { if (!m) return null; const s = m.subarray(8).toString("latin1"); const r = /^VALUE \\S+ \\d+ (\\d+)\\r\\n/.exec(s); return r ? s.substr(r[0].length, Number(r[1])) : s === "END\\r\\n" ? "" : null; };
const out = {};
if (mode === "stats") {
  const s = await tcp("stats\\r\\n");
  out.cmd_get = Number(/STAT cmd_get (\\d+)/.exec(s)?.[1] ?? -1);
  out.get_hits = Number(/STAT get_hits (\\d+)/.exec(s)?.[1] ?? -1);
} else if (mode === "tcpset") {
  // tcpset PREFIX N: keys PREFIX0..PREFIX(N-1), value "v-<key>"; pipelined on one connection
  const [prefix, n] = [args[0], Number(args[1])];
  let text = "";
  for (let i = 0; i < n; i++) { const k = prefix + i; const v = "v-" + k; text += "set " + k + " 0 0 " + v.length + "\\r\\n" + v + "\\r\\n"; }
  const r = await new Promise((resolve) => { const c = net.connect(PORT, server, () => c.write(text)); let got = 0; let buf = "";
    c.on("data", (d) => { buf += d.toString("latin1"); got = buf.split("STORED\\r\\n").length - 1; if (got >= n) { c.end(); resolve(got); } });
    setTimeout(() => { c.destroy(); resolve(got); }, 30000).unref(); });
  out.stored = r;
} else if (mode === "gets") {
  // gets ID0 KEY...: one UDP get per key, request ids from ID0; the replies' bytes (hex)
  let id = Number(args[0]);
  out.replies = [];
  out.retries = 0;
  for (const k of args.slice(1)) {
    let m = await udp("get " + k + "\\r\\n", id);
    for (let t = 0; !m && t < 3; t++) { out.retries++; m = await udp("get " + k + "\\r\\n", id); }
    id++;
    out.replies.push(m ? m.toString("hex") : null);
  }
} else if (mode === "coherence") {
  // coherence KEY N: N rounds of UDP set KEY v<i>, then two UDP gets; a get not returning v<i> is stale
  const [key, n] = [args[0], Number(args[1])];
  out.rounds = 0; out.stale = 0; out.lost = 0;
  for (let i = 0; i < n; i++) {
    const v = "v" + i + "-" + "x".repeat(i % 7);
    const s = await udp("set " + key + " 0 0 " + v.length + "\\r\\n" + v + "\\r\\n");
    if (!s || !s.subarray(8).toString().startsWith("STORED")) { out.lost++; continue; }
    for (let j = 0; j < 2; j++) { const g = valueOf(await udp("get " + key + "\\r\\n")); if (g === null) out.lost++; else if (g !== v) out.stale++; }
    out.rounds++;
  }
} else if (mode === "zipf") {
  // zipf PREFIX NKEYS COUNT SEED: COUNT gets, keys Zipf(0.99)-distributed, one outstanding at a time
  const [prefix, nkeys, count, seed] = [args[0], Number(args[1]), Number(args[2]), Number(args[3])];
  let s = seed >>> 0; const rnd = () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 4294967296; };
  const cdf = []; let sum = 0; for (let i = 1; i <= nkeys; i++) { sum += 1 / Math.pow(i, 0.99); cdf.push(sum); }
  const pick = () => { const x = rnd() * sum; let lo = 0, hi = nkeys - 1; while (lo < hi) { const m = (lo + hi) >> 1; if (cdf[m] < x) lo = m + 1; else hi = m; } return lo; };
  const t0 = process.hrtime.bigint();
  out.ok = 0; out.lost = 0;
  for (let i = 0; i < count; i++) { const m = await udp("get " + prefix + pick() + "\\r\\n"); if (m) out.ok++; else out.lost++; }
  out.seconds = Number(process.hrtime.bigint() - t0) / 1e9;
}
sock.close();
console.log(JSON.stringify(out));
`;
