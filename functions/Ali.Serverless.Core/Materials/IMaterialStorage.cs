namespace Ali.Serverless.Materials;

/// <summary>
/// Where a client uploads a material directly: a URL that allows writing that one blob only,
/// until <see cref="ExpiresAt"/>, and the headers the PUT must carry.
/// </summary>
public sealed record UploadTarget(Uri Url, string Method, IReadOnlyDictionary<string, string> Headers, DateTimeOffset ExpiresAt);

/// <summary>
/// What the store reports about an uploaded blob: enough to verify it against its declaration.
/// <see cref="Sha256"/> is null when the size already differs from the declared one, so that an
/// oversized upload is never read in full.
/// </summary>
public sealed record UploadedBlob(long SizeBytes, string? ContentType, string? Sha256, byte[] Head);

/// <summary>Blob storage for materials. Material bytes go from the client to storage, never through a function.</summary>
public interface IMaterialStorage
{
    Task<UploadTarget> CreateUploadTargetAsync(string blobName, string contentType, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Null when nothing was uploaded to <paramref name="blobName"/>. Hashes the content only when its size is <paramref name="declaredSize"/>.</summary>
    Task<UploadedBlob?> InspectAsync(string blobName, long declaredSize, CancellationToken cancellationToken);
}
