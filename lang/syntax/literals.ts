// Literal decoding: integer, address, prefix and string token text → values. Pure functions that
// never throw; a malformed literal yields `{ ok: false, reason }` and the lexer turns it into a
// coded diagnostic (NF1004–NF1009). The parser and the AST builder share these decoders.

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

const U64_MAX = (1n << 64n) - 1n;

export type IntError = { ok: false; reason: string; tooLarge?: boolean };

/** `123`, `0x7f`, `0b1010`, with `_` separators; unsigned, at most 2^64-1. */
export function decodeInt(text: string): { ok: true; value: bigint } | IntError {
  let digits: string;
  let re: RegExp;
  let prefix = "";
  if (/^0[xX]/.test(text)) {
    digits = text.slice(2);
    re = /^[0-9A-Fa-f_]*$/;
    prefix = "0x";
  } else if (/^0[bB]/.test(text)) {
    digits = text.slice(2);
    re = /^[01_]*$/;
    prefix = "0b";
  } else {
    digits = text;
    re = /^[0-9_]*$/;
  }
  const clean = digits.replace(/_/g, "");
  if (!re.test(digits) || clean.length === 0) {
    const kind = prefix === "0x" ? "hexadecimal" : prefix === "0b" ? "binary" : "decimal";
    const bad = [...digits].find((c) => c !== "_" && !re.test(c));
    const reason =
      clean.length === 0 && bad === undefined
        ? `\`${text}\` has no digits after \`${prefix}\``
        : `\`${bad}\` is not a ${kind} digit`;
    return { ok: false, reason };
  }
  const value = BigInt(prefix + clean);
  if (value > U64_MAX) return { ok: false, reason: "larger than 2^64-1", tooLarge: true };
  return { ok: true, value };
}

/** Splits `addr/len` into the address text and the optional length text. */
export function splitPrefix(text: string): { addr: string; len?: string } {
  const i = text.indexOf("/");
  return i < 0 ? { addr: text } : { addr: text.slice(0, i), len: text.slice(i + 1) };
}

/** Prefix length check: ≤ 32 for IPv4, ≤ 128 for IPv6. */
export function decodePrefixLen(len: string, max: number): Decoded<number> {
  const n = /^[0-9]{1,4}$/.test(len) ? Number(len) : Infinity;
  return n <= max ? { ok: true, value: n } : { ok: false, reason: `must be at most ${max}` };
}

/** Dotted quad, each part 0..255 written with at most 3 digits. */
export function decodeIp4(text: string): Decoded<number[]> {
  const parts = text.split(".");
  if (parts.length !== 4) return { ok: false, reason: `it has ${parts.length} parts, an IPv4 address has 4` };
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p) || Number(p) > 255)
      return { ok: false, reason: `\`${p}\` is not a number from 0 to 255` };
    out.push(Number(p));
  }
  return { ok: true, value: out };
}

/** Exactly six two-digit hex groups separated by `:`. */
export function isMacText(text: string): boolean {
  return /^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}$/.test(text);
}

export function decodeMac(text: string): Decoded<number[]> {
  if (!isMacText(text)) return { ok: false, reason: "a MAC address is six two-digit hex groups" };
  return { ok: true, value: text.split(":").map((g) => parseInt(g, 16)) };
}

/** RFC 4291 text forms: eight groups, `::` for a run of zero groups, an IPv4 tail. */
export function decodeIp6(text: string): Decoded<number[]> {
  const halves = text.split("::");
  if (halves.length > 2) return { ok: false, reason: "`::` may appear only once" };
  const groupsOf = (s: string): number[] | string => {
    if (s === "") return [];
    const parts = s.split(":");
    const out: number[] = [];
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] ?? "";
      if (i === parts.length - 1 && p.includes(".")) {
        const v4 = decodeIp4(p);
        if (!v4.ok) return `bad IPv4 tail \`${p}\`: ${v4.reason}`;
        const [a = 0, b = 0, c = 0, d = 0] = v4.value;
        out.push((a << 8) | b, (c << 8) | d);
      } else if (/^[0-9A-Fa-f]{1,4}$/.test(p)) {
        out.push(parseInt(p, 16));
      } else {
        return p === ""
          ? "empty group (use `::` once for zeros)"
          : `\`${p}\` is not a group of 1 to 4 hex digits`;
      }
    }
    return out;
  };
  const head = groupsOf(halves[0] ?? "");
  if (typeof head === "string") return { ok: false, reason: head };
  let groups: number[];
  if (halves.length === 2) {
    const tail = groupsOf(halves[1] ?? "");
    if (typeof tail === "string") return { ok: false, reason: tail };
    if (head.length + tail.length > 7) return { ok: false, reason: "too many groups around `::`" };
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    if (head.length !== 8)
      return { ok: false, reason: `it has ${head.length} groups; without \`::\` it needs 8` };
    groups = head;
  }
  return { ok: true, value: groups.flatMap((g) => [g >> 8, g & 0xff]) };
}

/** `"text"` with escapes `\"` `\\` `\n` `\t` `\0`. `text` includes the quotes (closing may be missing);
 *  bad escape offsets are offsets into `text`. */
export function decodeString(text: string): {
  value: string;
  badEscapes: { offset: number; text: string }[];
} {
  const closed = text.length >= 2 && text.endsWith('"') && !isEscapedQuoteAtEnd(text);
  const body = text.slice(1, closed ? -1 : undefined);
  let value = "";
  const badEscapes: { offset: number; text: string }[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== "\\") {
      value += c;
      continue;
    }
    const e = body[i + 1] ?? "";
    const hex = e === "x" ? /^[0-9a-fA-F]{2}/.exec(body.slice(i + 2)) : null;
    if (hex) {
      value += String.fromCharCode(parseInt(hex[0], 16)); // \xHH: one byte
      i += 3;
      continue;
    }
    const map: Record<string, string> = { '"': '"', "\\": "\\", n: "\n", r: "\r", t: "\t", "0": "\0" };
    const m = map[e];
    if (m === undefined) badEscapes.push({ offset: i + 1, text: "\\" + e });
    else value += m;
    i++;
  }
  return { value, badEscapes };
}

function isEscapedQuoteAtEnd(text: string): boolean {
  let n = 0;
  for (let i = text.length - 2; i >= 1 && text[i] === "\\"; i--) n++;
  return n % 2 === 1;
}
