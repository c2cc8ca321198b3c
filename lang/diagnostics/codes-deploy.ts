// NF60xx codes: deploying and operating NFs (`nfc load`, `unload`, `status`, `table`, `counters`,
// `set`). Owned by compiler/deploy. These errors come from the command line and the running
// system, not from a source file: they carry no span. Keep numbers stable once released.
import { entry, type CodeEntry } from "./diagnostic.js";

export const deployCodes = {
  NF6001: entry<{ nf: string; up: string }>({
    title: "unknown NF",
    message: (p) => `no NF named \`${p.nf}\` is loaded`,
    help: (p) =>
      p.up === "" ? "no NF is loaded; load one with `nfc load FILE.nf --dev IFACE`" : `loaded: ${p.up}`,
    explain: `The command names an NF that \`nfc load\` has not loaded on this machine (its state file
under /run/nfc and its pins under /sys/fs/bpf/nfc/<nf>/ are absent). \`nfc status\` lists what is up.

    nfc counters firewal     // wrong: no such NF
    nfc counters firewall    // right: the name after \`nf\` in the source`,
  }),
  NF6002: entry<{ dev: string; netns: string }>({
    title: "no such interface",
    message: (p) => `no interface \`${p.dev}\`${p.netns ? ` in network namespace \`${p.netns}\`` : ""}`,
    help: (p) =>
      p.netns
        ? `list the namespace's interfaces: \`ip -n ${p.netns} link\``
        : "list interfaces with `ip link`; add `--netns NS` for one inside a namespace",
    explain: `\`--dev\` names an interface that does not exist where nfc looked: the host's network namespace,
or the one given with \`--netns\`. Nothing was loaded.

    nfc load fw.nf --dev veth1                 // wrong: veth1 lives in namespace blue
    nfc load fw.nf --dev veth1 --netns blue    // right`,
  }),
  NF6003: entry<{ netns: string }>({
    title: "no such network namespace",
    message: (p) => `no network namespace \`${p.netns}\` (/var/run/netns/${p.netns} is absent)`,
    help: () => "list namespaces with `ip netns list`; `--netns` also takes a path such as /proc/PID/ns/net",
    explain: `\`--netns\` names a namespace \`ip netns\` does not know. nfc enters it (setns) only to find the
interface and attach; pins stay on the host's bpffs.

    nfc load fw.nf --dev eth0 --netns bleu    // wrong
    nfc load fw.nf --dev eth0 --netns blue    // right`,
  }),
  NF6004: entry<{ command: string }>({
    title: "root required",
    message: (p) => `\`nfc ${p.command}\` needs root (CAP_BPF, CAP_NET_ADMIN and bpffs access)`,
    help: (p) => `run it as root: \`sudo npx nfc ${p.command} ...\``,
    explain: `Loading, attaching, pinning and reading pinned maps are privileged BPF operations.

    npx nfc load fw.nf --dev eth0         // wrong: an unprivileged user
    sudo npx nfc load fw.nf --dev eth0    // right`,
  }),
  NF6005: entry<{ dev: string; progId: number }>({
    title: "interface already has an XDP program",
    message: (p) => `\`${p.dev}\` already runs XDP program id ${p.progId}`,
    help: () =>
      "unload it first (`ip link set dev IFACE xdp off`, or `nfc unload NF`), or pass `--force` to replace it",
    explain: `An interface runs at most one XDP program. nfc refuses to take over one attached by someone
else unless told to: \`--force\` detaches a netlink-attached program first (a program held by
another bpf_link cannot be forced off; its owner must release it).

    nfc load fw.nf --dev eth0            // refused: eth0 runs XDP program 42
    nfc load fw.nf --dev eth0 --force    // replaces it`,
  }),
  NF6006: entry<{ map: string; path: string; why: string }>({
    title: "pinned map in the way",
    message: (p) => `map \`${p.map}\`: \`${p.path}\` already exists (${p.why})`,
    help: (p) => `if it is stale, remove it: \`rm ${p.path}\`; if an NF owns it, \`nfc unload\` that NF`,
    explain: `The manifest's pin path for a map is taken by an object nfc did not pin for this NF (another
NF, an older layout, or a crashed load outside nfc). nfc never overwrites or adopts it silently.

    nfc load fw.nf --dev eth0    // refused: /sys/fs/bpf/nfc/firewall/deny4 exists
    rm /sys/fs/bpf/nfc/firewall/deny4 && nfc load fw.nf --dev eth0`,
  }),
  NF6007: entry<{ file: string; reason: string }>({
    title: "kmod runtime not usable",
    message: (p) => `\`--runtime kmod\`: cannot load ${p.file}: ${p.reason}`,
    help: () =>
      "load runtime-kmod with the ABI the object was built for, or use `--runtime auto` (the pure object)",
    explain: `The kmod object calls kfuncs of the nfc_runtime module; it loads only when that module is loaded
with BTF and the ABI version the object was built against (manifest \`requires_abi\`).

    nfc load hh.nf --dev eth0 --runtime kmod    // refused: module not loaded
    nfc load hh.nf --dev eth0                   // right: auto picks the pure object and says why`,
  }),
  NF6008: entry<{ dev: string; detail: string }>({
    title: "cannot attach",
    message: (p) => `cannot attach to \`${p.dev}\`: ${p.detail}`,
    help: (p) =>
      /tcx|Invalid argument/.test(p.detail)
        ? "`--tc-mode clsact` attaches through a clsact qdisc and a bpf filter instead of tcx (Linux < 6.6)"
        : "check the interface is up and supports the hook (`--xdp-mode generic` works on any interface)",
    explain: `The kernel refused the bpf_link. XDP links need a driver that supports the mode
(\`--xdp-mode generic\` works everywhere); TC programs use tcx links (Linux 6.6+), and by default fall
back to a clsact qdisc with a bpf filter when the kernel refuses tcx (\`--tc-mode tcx\` forbids that).

    nfc load fw.nf --dev lo --xdp-mode native     // may fail: no native XDP on lo
    nfc load fw.nf --dev lo --xdp-mode generic    // right`,
  }),
  NF6009: entry<{ nf: string; name: string; kinds: string; known: string }>({
    title: "unknown table or structure",
    message: (p) => `\`${p.nf}\` has no ${p.kinds} named \`${p.name}\``,
    help: (p) => (p.known === "" ? `\`${p.nf}\` declares none` : `known: ${p.known}`),
    explain: `The name after the NF must be a table the NF declares (\`nfc status NF\` lists its maps).

    nfc table firewall deny add 10.0.0.0/8 7     // wrong
    nfc table firewall deny4 add 10.0.0.0/8 7    // right`,
  }),
  NF6010: entry<{ what: string; text: string; expected: string; why: string }>({
    title: "bad key or value text",
    message: (p) => `bad ${p.what} \`${p.text}\`: ${p.why}`,
    help: (p) => `expected ${p.expected}`,
    explain: `Keys and values are written as in the language: \`10.0.0.1\`, \`10.0.0.0/8\`, \`2001:db8::/32\`,
\`aa:bb:cc:dd:ee:ff\`, integers (\`42\`, \`0x2a\`), \`true\`/\`false\`, flows (\`udp 10.0.0.1:53 ->
10.0.0.2:1234\`) and structs (\`packets=1,bytes=2\` or JSON). The expected form follows the table's type.

    nfc table firewall deny4 add 10.0.0/8 7      // wrong: three parts
    nfc table firewall deny4 add 10.0.0.0/8 7    // right`,
  }),
  NF6011: entry<{ what: string; text: string; type: string; max: string }>({
    title: "value out of range",
    message: (p) => `${p.what} \`${p.text}\` does not fit in \`${p.type}\``,
    help: (p) => `use a value from 0 to ${p.max}`,
    explain: `Integers must fit their field's type; nfc never truncates control-plane input.

    nfc table firewall deny4 add 10.0.0.0/8 4294967296    // wrong: the value is a u32
    nfc table firewall deny4 add 10.0.0.0/8 7             // right`,
  }),
  NF6012: entry<{ table: string; capacity: number }>({
    title: "table full",
    message: (p) => `table \`${p.table}\` is full (capacity ${p.capacity})`,
    help: () => "delete entries first, or raise `capacity` in the source and upgrade",
    explain: `The kernel refused a new key: the map holds \`capacity\` entries already (E2BIG).

    table deny4: lpm<ip4, u32>(capacity = 16384)    // raise it and reload`,
  }),
  NF6013: entry<{ table: string; key: string }>({
    title: "no such entry",
    message: (p) => `table \`${p.table}\` has no entry for \`${p.key}\``,
    help: (p) => `list what it holds: \`nfc table NF ${p.table} list\``,
    explain: `\`get\` and \`del\` name a key the table does not hold (for an LPM table: that exact prefix).

    nfc table firewall deny4 get 10.0.0.0/16    // wrong: the rule is 10.0.0.0/8
    nfc table firewall deny4 get 10.0.0.0/8     // right`,
  }),
  NF6014: entry<{ nf: string; devs: string }>({
    title: "NF already loaded",
    message: (p) => `\`${p.nf}\` is already loaded (on ${p.devs})`,
    help: (p) => `unload it first: \`nfc unload ${p.nf}\``,
    explain: `One instance per NF name: its pins live under /sys/fs/bpf/nfc/<nf>/.

    nfc load fw.nf --dev eth1    // refused: firewall is up on eth0
    nfc unload firewall && nfc load fw.nf --dev eth0 --dev eth1`,
  }),
  NF6015: entry<{ step: string; detail: string }>({
    title: "kernel refused a deploy step",
    message: (p) => `${p.step} failed: ${p.detail}`,
    help: () => "nothing was left behind; `nfc status` shows what is loaded",
    explain: `A BPF syscall failed while loading, pinning or reading state (the detail names the errno).
The load was rolled back: every pin and link it created was removed.`,
  }),
  NF6016: entry<{ runner: string }>({
    title: "kernel runner too old",
    message: (p) => `\`${p.runner}\` has no deploy commands`,
    help: () => "rebuild it: `make -C runner` (or `./setup.sh`)",
    explain: `\`nfc load\` and the table commands drive libbpf through build/nfc-runner's deploy commands;
a runner built before them cannot pin or attach.`,
  }),
  NF6017: entry<{ path: string; why: string }>({
    title: "not a loadable input",
    message: (p) => `cannot load \`${p.path}\`: ${p.why}`,
    help: () => "give a .nf source or the output directory of `nfc build` (it holds <nf>.manifest.json)",
    explain: `\`nfc load\` takes a .nf source (built first) or a directory written by \`nfc build\`.

    nfc load out/firewall.bpf.o --dev eth0    // wrong: an object file alone has no manifest
    nfc load out --dev eth0                   // right`,
  }),
  NF6018: entry<{ name: string; known: string; why: string }>({
    title: "bad config setting",
    message: (p) => `\`--set ${p.name}\`: ${p.why}`,
    help: (p) => (p.known === "" ? "this NF declares no config" : `configs: ${p.known}`),
    explain: `\`--set NAME=VALUE\` sets a \`config\` the NF declares, with a value of its type.

    nfc load hh.nf --dev eth0 --set treshold=10    // wrong: no such config
    nfc load hh.nf --dev eth0 --set threshold=10   // right`,
  }),
  NF6019: entry<{ name: string; kind: string; hint: string }>({
    title: "operation not available on this structure",
    message: (p) => `\`${p.name}\` is a ${p.kind}: ${p.hint}`,
    help: () => "`nfc status NF` lists each map with its kind",
    explain: `\`nfc table\` reads and writes key/value tables (hash, lru, lpm, array). Sketches, queues and
plug-in structures keep their own layouts and are read with their own commands.`,
  }),
  NF6020: entry<{ map: string; diff: string }>({
    title: "map layout changed",
    message: (p) => `map \`${p.map}\` changed layout: ${p.diff}`,
    help: (p) => `its pinned state cannot be kept; reload with \`--reset ${p.map}\` to start it empty`,
    explain: `An upgrade (\`nfc load\` of an NF that is up) keeps every pinned map whose layout (map type, key and
value layout, capacity, flags, parameters) is unchanged, and migrates the entries of a table whose
capacity only grew. Any other change would be misread by the new program, so nfc refuses unless told
to recreate the map empty. Nothing was changed.

    nfc load fw_v2.nf --dev eth0                    // refused: counters gained a field
    nfc load fw_v2.nf --dev eth0 --reset counters   // upgrade; counters restart from zero`,
  }),
  NF6021: entry<{ nf: string; from: string; to: string }>({
    title: "hook changed",
    message: (p) => `\`${p.nf}\` runs on \`${p.from}\`; the new build is for \`${p.to}\``,
    help: (p) =>
      `a program cannot move hooks in place: \`nfc unload ${p.nf} --keep-maps\`, then load the new build`,
    explain: `An upgrade switches each link to the new program atomically (bpf_link_update), which works only
between programs of the same hook.

    nf fw on xdp         // loaded
    nf fw on tc egress   // refused as an upgrade`,
  }),
  NF6022: entry<{ a: string; b: string; why: string }>({
    title: "sketches do not merge",
    message: (p) => `\`${p.a}\` and \`${p.b}\` are not the same sketch: ${p.why}`,
    help: () =>
      "only dumps of one sketch declaration merge (same kind, geometry, seed and key type); compare their `geometry` fields",
    explain: `\`nfc sketch merge\` adds count-min and count sketch cells, ORs bloom bits, maxes HyperLogLog
registers and merges top-k boards. That is only meaningful between copies of one sketch: the same
kind, rows and width (bits and hashes, precision and groups, k), the same hash seed (it derives from
the sketch's name) and the same key type. Anything else is refused; nothing is written.

    nfc sketch merge a.json b.json    // refused: width 1024 vs 4096
    nfc sketch merge a.json c.json    // a and c both dumped from \`sketch flows: count_min<flow5>(rows = 4, width = 1024)\``,
  }),
  NF6023: entry<{ file: string; why: string }>({
    title: "not a sketch dump",
    message: (p) => `\`${p.file}\`: ${p.why}`,
    help: () => "write one with `nfc sketch NF NAME dump --json > FILE`",
    explain: `\`nfc sketch merge\` reads the JSON that \`nfc sketch NF NAME dump --json\` prints (format
\`nfc-sketch/1\`: kind, geometry, key layout and the merged memory).

    nfc sketch merge notes.txt                         // refused
    nfc sketch hh flows dump --json > a.json           // then: nfc sketch merge a.json b.json`,
  }),
  NF6024: entry<{ file: string; line: number; why: string; text: string }>({
    title: "bad line in a rules file",
    message: (p) => `${p.file}${p.line > 0 ? `:${p.line}` : ""}: ${p.why}`,
    help: (p) =>
      p.text
        ? `the line reads \`${p.text}\`; nothing was added (fix it and run the command again)`
        : "nothing was added from this line on",
    explain: `\`nfc table NF TABLE add --file FILE\` reads one entry per line, JSON: \`{"key": KEY, "value": VALUE}\` or
\`[KEY, VALUE]\`, keys and values in the forms \`nfc table add\` takes (strings such as "10.0.0.0/8",
numbers, booleans, objects for struct values). Empty lines and lines starting with # are skipped.
Every line is checked before anything is written: one bad line and the table is left as it was.

    {"key": "10.0.0.0/8", "value": 7}      // right
    ["10.1.0.0/16", 3]                     // right
    10.2.0.0/16 3                          // wrong: not JSON`,
  }),
  NF6025: entry<{ table: string; capacity: number; added: number; file: string; line: number }>({
    title: "table full while adding from a file",
    message: (p) =>
      `\`${p.table}\` is full (capacity ${p.capacity}): ${p.added} entries were added, ${p.file}:${p.line} and the lines after it were not`,
    help: (p) =>
      `raise \`capacity\` of \`${p.table}\` (an upgrade keeps the entries), or remove entries first`,
    explain: `The table reached the capacity its declaration gives it. The lines before the failing one are in
the table; it and the lines after it are not. A table's capacity is fixed when the map is created;
loading the NF again with a larger capacity migrates the entries into the new map.

    table deny4: lpm<ip4, u32>(capacity = 1024)    // 2000 rules: NF6025 at the 1025th`,
  }),
  NF6070: entry<{ map: string; diff: string; path: string }>({
    title: "shared table declared differently",
    message: (p) => `shared table \`${p.map}\` is loaded with another layout: ${p.diff}`,
    help: (p) =>
      `declare \`${p.map}\` with the same key, value and parameters in every NF that shares it, or unload those NFs first (pin ${p.path})`,
    explain: `A \`shared\` table is one map for every NF that declares it by that name (pinned at
/sys/fs/bpf/nfc/shared/<name>). A load whose declaration differs from the pinned map's (key or
value type and size, capacity, kind, flags) is refused before anything changes.

    table cache: hash<u32, u64>(capacity = 1024, shared)   // NF a
    table cache: hash<u32, u32>(capacity = 1024, shared)   // NF b, wrong: value u32 vs u64
    table cache: hash<u32, u64>(capacity = 1024, shared)   // NF b, right`,
  }),
} satisfies Record<string, CodeEntry<any>>;
