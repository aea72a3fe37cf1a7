// What SHA-256 and MD5 share: 64-byte blocks fed in pieces of any size (so a large file is never held
// whole), and the final padding: 0x80, zeros, then the length in bits in the algorithm's byte order.
export abstract class BlockHash {
  private buffer = new Uint8Array(64);
  private buffered = 0;
  private length = 0;

  protected abstract block(data: Uint8Array, offset: number): void;

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

  /** Pads what is left and runs its last block or two. */
  protected finish(littleEndian: boolean): void {
    const bits = this.length * 8;
    const high = Math.floor(bits / 0x100000000);
    const low = bits >>> 0;
    const tail = new Uint8Array((this.buffered + 9 + 63) & ~63);
    tail.set(this.buffer.subarray(0, this.buffered));
    tail[this.buffered] = 0x80;
    const view = new DataView(tail.buffer);
    view.setUint32(tail.length - 8, littleEndian ? low : high, littleEndian);
    view.setUint32(tail.length - 4, littleEndian ? high : low, littleEndian);
    for (let i = 0; i < tail.length; i += 64) this.block(tail, i);
  }
}
