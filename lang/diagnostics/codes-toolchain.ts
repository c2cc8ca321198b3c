// NF5xxx codes: the toolchain (clang, bpftool, the kernel runner) and the running kernel.
// Owned by compiler/toolchain and compiler/kernel. Keep numbers stable once released.
// A clang error or a verifier rejection on generated code is a compiler bug: the help says so.
import { entry, type CodeEntry } from "./diagnostic.js";

export const toolchainCodes = {
  NF5001: entry<{ tried: string }>({
    title: "clang not found",
    message: (p) => `no clang found (looked for ${p.tried})`,
    help: () => "run `./setup.sh`, or install `clang-19` and set `NFC_CLANG` to its path",
    explain: `nfc turns every NF into BPF C and compiles it with clang (-target bpf). It looks for
\`clang-19\`, then \`clang\`, on PATH; the environment variable NFC_CLANG overrides the search.

    $ NFC_CLANG=/usr/lib/llvm-19/bin/clang npx nfc build examples/heavy_hitter.nf

On Debian, \`./setup.sh\` installs clang-19.`,
  }),
  NF5002: entry<{ path: string; why: string }>({
    title: "NFC_CLANG is not a usable clang",
    message: (p) => `\`NFC_CLANG\` is set to \`${p.path}\`, which ${p.why}`,
    help: () => "point `NFC_CLANG` at a clang binary (e.g. `/usr/bin/clang-19`) or unset it",
    explain: `The environment variable NFC_CLANG names the clang binary nfc runs. When it is set, nfc
uses it and nothing else, so a wrong path is an error rather than a silent fallback.

    $ NFC_CLANG=/usr/bin/clang-19 npx nfc build examples/heavy_hitter.nf`,
  }),
  NF5003: entry<{ path: string; version: string; min: number }>({
    title: "clang too old",
    message: (p) => `\`${p.path}\` is clang ${p.version}; nfc needs clang ${p.min} or newer`,
    help: () => "install `clang-19` (run `./setup.sh`) or set `NFC_CLANG` to a newer clang",
    explain: `Generated BPF C relies on BTF-defined maps, \`const volatile\` globals and bounded loops,
which older clang versions compile incorrectly or not at all for -target bpf.`,
  }),
  NF5004: entry<{ name: string; errors: string }>({
    title: "clang failed on generated code",
    message: (p) => `clang rejected the generated C for \`${p.name}\`:\n${p.errors}`,
    help: () =>
      "this is a bug in nfc, not in your program; please report it with the `.nf` source " +
      "(`nfc build --emit-c` shows the generated C)",
    explain: `nfc checks a program fully before it emits C, so C that clang rejects (including
-Wall -Werror warnings) means the code generator is wrong. The first lines of clang's output are
included; the provenance comments in the C (\`/* file.nf:14:5 */\`) point back to the source.`,
  }),
  NF5005: entry<Record<string, never>>({
    title: "bpftool not found",
    message: () => "no `bpftool` found on PATH or in `/usr/sbin`",
    help: () => "run `./setup.sh`, or `apt-get install bpftool`",
    explain: `bpftool is used to inspect loaded programs (xlated dumps, BTF). Loading and running
tests goes through nfc's own runner and does not need it.`,
  }),
  NF5006: entry<{ path: string }>({
    title: "kernel runner not built",
    message: (p) => `the kernel runner \`${p.path}\` does not exist or is not executable`,
    help: () => "run `./setup.sh` (it builds `build/nfc-runner` from `runner/`)",
    explain: `nfc loads and runs BPF objects through a small C program over libbpf,
\`build/nfc-runner\`, built by ./setup.sh from runner/. Without it nothing can be loaded into
the kernel: \`nfc test\`, \`nfc bench\` and the kernel test tiers need it.`,
  }),
  NF5007: entry<{ detail: string }>({
    title: "no permission to use BPF",
    message: (p) => `cannot load BPF programs: ${p.detail}`,
    help: () => "run as root (or with `CAP_BPF` and `CAP_NET_ADMIN`)",
    explain: `Loading XDP and TC programs and running them with BPF_PROG_TEST_RUN needs CAP_BPF and
CAP_NET_ADMIN; in practice, root. \`nfc build\` and \`nfc check\` need neither.`,
  }),
  NF5008: entry<{ path: string }>({
    title: "bpffs not mounted",
    message: (p) => `the BPF filesystem is not mounted at \`${p.path}\``,
    help: (p) => `mount it: \`mount -t bpf bpf ${p.path}\` (./setup.sh does this when run as root)`,
    explain: `Pinned maps (the control plane's view of an NF's state) live in the BPF filesystem,
normally mounted at /sys/fs/bpf.`,
  }),
  NF5009: entry<{ program: string; log: string }>({
    title: "verifier rejected program",
    message: (p) => `the kernel verifier rejected \`${p.program}\`; last lines of its log:\n${p.log}`,
    help: () =>
      "this is a bug in nfc (every accepted program must verify); please report it with the `.nf` source",
    explain: `The checker guarantees that every program it accepts passes the kernel verifier
(packet bounds, loop bounds, stack size, map value access). A rejection means lowering or the
stdlib produced code the verifier cannot prove safe. The log's last lines name the failing
instruction and, through BTF line info, its .nf line (\`; <source text> @ file.nf:LINE\`): the
diagnostic points at that line.`,
  }),
  NF5010: entry<{ program: string; errno: number; detail: string }>({
    title: "kernel test run failed",
    message: (p) =>
      `test run (\`BPF_PROG_TEST_RUN\`) of \`${p.program}\` failed: ${p.detail} (errno ${p.errno})`,
    help: () => "packets must be at least 14 bytes (an Ethernet header); XDP and TC programs only",
    explain: `nfc runs programs on test packets with BPF_PROG_TEST_RUN. The kernel refuses packets
shorter than an Ethernet header, program types without test_run support, and contexts with
fields it does not allow.`,
  }),
  NF5011: entry<{ detail: string }>({
    title: "kernel runner failed",
    message: (p) => `the kernel runner failed: ${p.detail}`,
    help: () => "rebuild it with `./setup.sh`; if this persists it is a bug in nfc",
    explain: `The kernel runner (build/nfc-runner) answers one JSON line per command. It exited,
timed out, or answered something that is not the protocol.`,
  }),
  NF5012: entry<{ object: string; detail: string }>({
    title: "BPF object failed to load",
    message: (p) => `loading \`${p.object}\` failed: ${p.detail}`,
    help: () => "check that the kernel has BTF (`/sys/kernel/btf/vmlinux`) and that you are root",
    explain: `libbpf could not open or load the object for a reason other than the verifier: a map
could not be created, BTF was rejected, or the ELF is not a BPF object.`,
  }),
  NF5013: entry<{ file: string; why: string }>({
    title: "input file not readable",
    message: (p) => `cannot read \`${p.file}\`: ${p.why}`,
    help: () => "check the path; `-` reads the program from standard input",
    explain: `The .nf file named on the command line could not be read: it does not exist, is a
directory, or is not readable. Nothing was compiled and nothing was written.

    nfc build examples/heavy_hiter.nf     // wrong: no such file
    nfc build examples/heavy_hitter.nf    // right`,
  }),
  NF5014: entry<{ name: string; seconds: number }>({
    title: "clang timed out",
    message: (p) => `clang did not finish compiling the generated C for \`${p.name}\` within ${p.seconds} s`,
    help: () =>
      "raise the limit with `NFC_CLANG_TIMEOUT=<seconds>`; if clang never finishes, report it with the `.nf` source",
    explain: `nfc stops clang after a time limit (120 s by default) so that a build never hangs. A
very large handler (thousands of statements, large unrolled loops) can take clang that long on a
busy machine. The program itself was accepted; nothing is wrong with it.

    $ NFC_CLANG_TIMEOUT=600 npx nfc build big.nf     // allow ten minutes`,
  }),
  NF5015: entry<{ name: string; signal: string }>({
    title: "clang was killed",
    message: (p) => `clang was killed by ${p.signal} while compiling the generated C for \`${p.name}\``,
    help: () =>
      "check memory (`dmesg` shows an out-of-memory kill) and retry; if it repeats, report it with the `.nf` source",
    explain: `clang ended on a signal instead of exiting: usually the out-of-memory killer (SIGKILL)
or a crash of clang itself (SIGSEGV, SIGABRT). No object was written.

    $ dmesg | tail        // "Out of memory: Killed process ... (clang-19)"`,
  }),
} satisfies Record<string, CodeEntry<any>>;
