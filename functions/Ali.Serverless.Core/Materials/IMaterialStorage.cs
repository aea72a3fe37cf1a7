namespace Ali.Serverless.Materials;

/// <summary>
/// Where a client uploads a material directly: a URL that allows writing that one blob only,
/// until <see cref="ExpiresAt"/>, and the headers the PUT must carry.
/// </summary>
public sealed record UploadTarget(Uri Url, string Method, IReadOnlyDictionary<string, string> Headers, DateTimeOffset ExpiresAt);

/// <summary>
/// What the store reports about an uploaded blob: enough to verify it against its declaration without
/// reading it. <see cref="Head"/> is the file's first bytes (at most <see cref="MaterialRules.HeadLength"/>),
/// for the type-signature check. <see cref="Sealed"/> is null when the size already differs from the
/// declared one: nothing was copied.
/// </summary>
public sealed record UploadedBlob(long SizeBytes, string? ContentType, byte[] Head, SealedCopy? Sealed);

/// <summary>
/// The copy Blob Storage made of the uploaded blob, under the ETag whose size and type were checked
/// (decision 21): its ETag, and the MD5 the service holds for its content (base64, as the Content-MD5
/// header carries it), null when the upload left none (blocks committed without x-ms-blob-content-md5).
/// </summary>
public sealed record SealedCopy(string ETag, string? ContentMd5);

/// <summary>
/// A link that reads one sealed material for a few minutes and does nothing else (no write, no list).
/// Issued only after the permission check; whoever holds it may read until <see cref="ExpiresAt"/>.
/// </summary>
public sealed record ReadLink(Uri Url, DateTimeOffset ExpiresAt);

/// <summary>Blob storage for materials. Material bytes go from the client to storage, never through a function (decision 21).</summary>
public interface IMaterialStorage
{
    Task<UploadTarget> CreateUploadTargetAsync(string blobName, string contentType, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>
    /// Null when nothing was uploaded to <paramref name="blobName"/>. When its size is <paramref name="declaredSize"/>,
    /// has Blob Storage copy it to <paramref name="sealAs"/> (a name no upload URL reaches), on condition that it is
    /// still the blob whose properties were read, and reads back only the sealed copy's first bytes: no file body
    /// passes through the function. What reviewers read later is what was checked, whatever is written to the
    /// upload URL afterwards. Throws <see cref="MaterialChangedException"/> when the blob changes meanwhile.
    /// </summary>
    Task<UploadedBlob?> InspectAsync(string blobName, long declaredSize, string sealAs, CancellationToken cancellationToken);

    /// <summary>
    /// A read-only link to the one blob <paramref name="sealedBlobName"/>, valid until <paramref name="expiresAt"/>.
    /// The blob is served with <paramref name="contentType"/> and <paramref name="contentDisposition"/> (an
    /// attachment), so a browser saves it instead of rendering whatever it contains.
    /// </summary>
    Task<ReadLink> CreateReadLinkAsync(string sealedBlobName, string contentType, string contentDisposition, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes a blob: a sealed copy that did not pass verification, or a blob retention removes. Nothing
    /// when there is none, so it can be repeated.
    /// </summary>
    Task DiscardAsync(string blobName, CancellationToken cancellationToken);
}

/// <summary>The uploaded blob was written again while it was being verified.</summary>
public sealed class MaterialChangedException(string message, Exception? inner = null) : Exception(message, inner);
