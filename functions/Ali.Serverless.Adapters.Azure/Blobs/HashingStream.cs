using System.Security.Cryptography;

namespace Ali.Serverless.Adapters.Azure.Blobs;

/// <summary>
/// Reads through to another stream, hashing every byte read (SHA-256) and keeping the first few for the
/// file-type check: one pass over a material both seals and verifies it.
/// </summary>
internal sealed class HashingStream(Stream inner, int headLength) : Stream
{
    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _head = new byte[headLength];
    private int _headLength;
    private long _length;

    public byte[] Head => _head[.._headLength];

    public override long Length => _length;

    public string Sha256Hex() => Convert.ToHexStringLower(_sha.GetHashAndReset());

    public override int Read(byte[] buffer, int offset, int count) => Seen(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        return Seen(buffer.Span[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Seen(ReadOnlySpan<byte> read)
    {
        if (_headLength < _head.Length)
        {
            var take = Math.Min(read.Length, _head.Length - _headLength);
            read[..take].CopyTo(_head.AsSpan(_headLength));
            _headLength += take;
        }
        _sha.AppendData(read);
        _length += read.Length;
        return read.Length;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Position { get => _length; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sha.Dispose();
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
