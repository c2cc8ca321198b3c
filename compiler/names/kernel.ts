// Kernel object names. libbpf gives a map the kernel name of its C symbol truncated to 15
// characters (BPF_OBJ_NAME_LEN - 1), and bpftool, pinning and every tool that lists maps see only
// that. A symbol keeps its full readable name when its first 15 characters are unique among the
// program's maps; otherwise it becomes `<first 10>_<4 hex digits of a hash of the full name>`
// (15 characters, deterministic). The manifest records name, symbol and kernel_name.

export const KERNEL_NAME_LEN = 15;

export function kernelName(symbol: string): string {
  return symbol.slice(0, KERNEL_NAME_LEN);
}

/** FNV-1a, 32 bits, of a string's UTF-16 code units (names are ASCII identifiers). */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * A symbol for `base`: not `taken`, and whose kernel name is neither in `kernelNames` (maps
 * already named) nor in `pending` (kernel names of the program's other declared maps, which keep
 * theirs: a long name yields to a short one).
 */
export function kernelUnique(
  base: string,
  taken: (s: string) => boolean,
  kernelNames: ReadonlySet<string>,
  pending: readonly string[],
): string {
  let sym = base;
  for (let i = 1; taken(sym); i++) sym = `${base}_${i}`;
  const clash = (s: string) =>
    kernelNames.has(kernelName(s)) || (s.length > KERNEL_NAME_LEN && pending.includes(kernelName(s)));
  if (!clash(sym)) return sym;
  for (let salt = 0; ; salt++) {
    const h = (fnv1a(salt === 0 ? base : `${base}#${salt}`) & 0xffff).toString(16).padStart(4, "0");
    const s = `${base.slice(0, KERNEL_NAME_LEN - 5)}_${h}`;
    if (!taken(s) && !clash(s) && !pending.includes(s)) return s;
  }
}
