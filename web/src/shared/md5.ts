// MD5 (RFC 1321) fed in pieces, for the Content-MD5 headers Blob Storage checks uploads against
// (decision 21). Web Crypto has no MD5. Not used for anything a forger could defeat: it catches damage in
// transit, which is all Content-MD5 is for.
const S = [7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
  4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21];
// K[i] = floor(abs(sin(i + 1)) * 2^32), computed once rather than typed out.
const K = new Int32Array(64).map((_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 0x100000000) | 0);

export class Md5 {
  private h = new Int32Array([0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476]);
  private w = new Int32Array(16);
  private buffer = new Uint8Array(64);
  private buffered = 0;
  private length = 0;

  update(data: Uint8Array): this {
    let i = 0;
    this.length += data.length;
    if (this.buffered > 0) {
      const take = Math.min(64 - this.buffered, data.length);
      this.buffer.set(data.subarray(0, take), this.buffered);
      this.buffered += take;
      i = take;
      if (this.buffered < 64) return this;
      this.block(this.buffer, 0);
      this.buffered = 0;
    }
    for (; i + 64 <= data.length; i += 64) this.block(data, i);
    if (i < data.length) {
      this.buffer.set(data.subarray(i), 0);
      this.buffered = data.length - i;
    }
    return this;
  }

  /** The 16-byte digest. */
  digest(): Uint8Array {
    const bits = this.length * 8;
    const tail = new Uint8Array((this.buffered + 9 + 63) & ~63);
    tail.set(this.buffer.subarray(0, this.buffered));
    tail[this.buffered] = 0x80;
    const view = new DataView(tail.buffer);
    // The length in bits, little-endian, in the last 8 bytes.
    view.setUint32(tail.length - 8, bits >>> 0, true);
    view.setUint32(tail.length - 4, Math.floor(bits / 0x100000000), true);
    for (let i = 0; i < tail.length; i += 64) this.block(tail, i);
    const out = new Uint8Array(16);
    const outView = new DataView(out.buffer);
    this.h.forEach((x, i) => outView.setInt32(i * 4, x, true));
    return out;
  }

  /** The digest in base64, as the Content-MD5 header and the API's contentMd5 carry it. */
  base64(): string {
    return btoa(String.fromCharCode(...this.digest()));
  }

  private block(data: Uint8Array, offset: number) {
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
