// lang/csum.ts: the incremental updates agree with a full recompute on real headers, and the
// RFC 1624 / RFC 768 edge cases give the values nf/csum.h gives (the kernel test compares the
// two implementations directly on seeded random and edge inputs).
import { describe, expect, test } from "vitest";
import {
  csumReplace1,
  csumReplace2,
  csumReplace4,
  csumReplaceBytes,
  ipv4HeaderCsum,
  l4Csum,
  onesSum,
  udpCsumReplace2,
  udpCsumReplace4,
  writeFieldUpdatingCsum,
} from "./csum.js";

const hdr = (): Uint8Array =>
  new Uint8Array([
    0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0,
    0xa8, 0x00, 0xc7,
  ]);

describe("full checksums", () => {
  test("the classic IPv4 header example is 0xb861", () => {
    expect(ipv4HeaderCsum(hdr(), 0)).toBe(0xb861);
  });

  test("a header with its checksum filled in sums to 0xffff", () => {
    const h = hdr();
    h[10] = 0xb8;
    h[11] = 0x61;
    expect(onesSum(h)).toBe(0xffff);
  });

  test("l4Csum includes the pseudo-header and maps a UDP 0 to 0xffff", () => {
    const seg = new Uint8Array([0xff, 0xff, 0, 0]);
    const zero = new Uint8Array(4);
    // 0xffff + length 4 = 0x10003 -> folds to 0x0004 -> complement 0xfffb
    expect(l4Csum(seg, zero, zero, 0, 0, 4, 2, false)).toBe(0xfffb);
    const fill = new Uint8Array([0xff, 0xff - 17 - 4, 0, 0]); // + proto 17 + length 4 = 0xffff
    expect(l4Csum(fill, zero, zero, 17, 0, 4, 2, false)).toBe(0);
    expect(l4Csum(fill, zero, zero, 17, 0, 4, 2, true)).toBe(0xffff);
  });
});

describe("incremental updates (RFC 1624 eqn 3)", () => {
  test("TTL decrement matches a recompute", () => {
    const h = hdr();
    const c0 = ipv4HeaderCsum(h, 0);
    h[10] = c0 >> 8;
    h[11] = c0 & 0xff;
    writeFieldUpdatingCsum(h, 8, new Uint8Array([0x3f]), [{ off: 10, base: 0, udp: false }]);
    expect((h[10]! << 8) | h[11]!).toBe(ipv4HeaderCsum(h, 0));
  });

  test("every byte and word position matches a recompute (seeded)", () => {
    let seed = 1;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 16;
    for (let n = 0; n < 500; n++) {
      const h = hdr();
      for (let i = 12; i < 20; i++) h[i] = rnd() & 0xff;
      const c = ipv4HeaderCsum(h, 0);
      h[10] = c >> 8;
      h[11] = c & 0xff;
      const off = [1, 2, 4, 6, 8, 9, 12, 16][n % 8]!;
      const size = off === 12 || off === 16 ? 4 : off === 1 || off === 8 || off === 9 ? 1 : 2;
      const v = new Uint8Array(size).map(() => rnd() & 0xff);
      writeFieldUpdatingCsum(h, off, v, [{ off: 10, base: 0, udp: false }]);
      expect({ n, c: (h[10]! << 8) | h[11]! }).toEqual({ n, c: ipv4HeaderCsum(h, 0) });
    }
  });

  test("edge values are eqn 3 exactly", () => {
    expect(csumReplace2(0xffff, 0xffff, 0x0000)).toBe(0xffff); // ~(0 + 0 + 0) = 0xffff
    expect(csumReplace2(0x0000, 0x0000, 0x0000)).toBe(0x0000); // ~(0xffff + 0xffff + 0) = ~0xffff
    expect(csumReplace2(0x1234, 0xabcd, 0xabcd)).toBe(0x1234); // no change
    expect(csumReplace2(0x0001, 0x0000, 0x0001)).toBe(0x0000); // may produce 0 (fine for IP/TCP)
    expect(csumReplace4(0x5555, 0x01020304, 0x01020304)).toBe(0x5555);
    expect(csumReplaceBytes(0x5555, new Uint8Array([1, 2, 3, 4]), new Uint8Array([5, 6, 7, 8]))).toBe(
      csumReplace4(0x5555, 0x01020304, 0x05060708),
    );
    expect(csumReplace1(0x1000, 0x12, 0x13, false)).toBe(csumReplace2(0x1000, 0x1200, 0x1300));
    expect(csumReplace1(0x1000, 0x12, 0x13, true)).toBe(csumReplace2(0x1000, 0x0012, 0x0013));
  });

  test("UDP rules: zero stays zero, a computed 0 becomes 0xffff", () => {
    expect(udpCsumReplace2(0, 0x1111, 0x2222)).toBe(0);
    expect(udpCsumReplace4(0, 0x11111111, 0x22222222)).toBe(0);
    expect(csumReplace2(0x0001, 0x0000, 0x0001)).toBe(0);
    expect(udpCsumReplace2(0x0001, 0x0000, 0x0001)).toBe(0xffff);
  });

  test("rejects multi-byte fields at odd offsets", () => {
    expect(() =>
      writeFieldUpdatingCsum(hdr(), 9, new Uint8Array(2), [{ off: 10, base: 0, udp: false }]),
    ).toThrow(RangeError);
  });
});
