// MD5 (RFC 1321) fed in pieces, for the Content-MD5 headers Blob Storage checks uploads against
// (decision 21). Web Crypto has no MD5. Not used for anything a forger could defeat: it catches damage in
// transit, which is all Content-MD5 is for.
import { BlockHash } from "./blockhash";

const S = [7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
  4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21];
// K[i] = floor(abs(sin(i + 1)) * 2^32), computed once rather than typed out.
const K = new Int32Array(64).map((_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 0x100000000) | 0);

export class Md5 extends BlockHash {
  private h = new Int32Array([0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476]);
  private w = new Int32Array(16);

  /** The 16-byte digest. */
  digest(): Uint8Array {
    this.finish(true);
    const out = new Uint8Array(16);
    const outView = new DataView(out.buffer);
    this.h.forEach((x, i) => outView.setInt32(i * 4, x, true));
    return out;
  }

  /** The digest in base64, as the Content-MD5 header and the API's contentMd5 carry it. */
  base64(): string {
    return btoa(String.fromCharCode(...this.digest()));
  }

  protected block(data: Uint8Array, offset: number) {
    const w = this.w;
    for (let t = 0; t < 16; t++) {
      const j = offset + t * 4;
      w[t] = data[j] | (data[j + 1] << 8) | (data[j + 2] << 16) | (data[j + 3] << 24);
    }
    let [a, b, c, d] = this.h;
    for (let t = 0; t < 64; t++) {
      let f: number, g: number;
      if (t < 16) { f = (b & c) | (~b & d); g = t; }
      else if (t < 32) { f = (d & b) | (~d & c); g = (5 * t + 1) & 15; }
      else if (t < 48) { f = b ^ c ^ d; g = (3 * t + 5) & 15; }
      else { f = c ^ (b | ~d); g = (7 * t) & 15; }
      const sum = (a + f + K[t] + w[g]) | 0;
      a = d; d = c; c = b;
      b = (b + ((sum << S[t]) | (sum >>> (32 - S[t])))) | 0;
    }
    const H = this.h;
    H[0] += a; H[1] += b; H[2] += c; H[3] += d;
  }
}
