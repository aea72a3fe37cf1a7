using System.Net;
using Ali.Serverless.Materials;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;

namespace Ali.Serverless.Adapters.Azure.Blobs;

/// <summary>
/// Materials in Blob Storage. Upload targets are SAS URLs that may only create and write one blob,
/// for a few minutes. With shared keys off (production) they are user-delegation SAS signed with a
/// key obtained under the app's managed identity; with an account key (Azurite) they are service SAS.
/// Read links are signed the same way, read-only, for one sealed copy. Sealing is a copy Blob Storage makes
/// itself, so material bytes never pass through the function (decision 21).
/// </summary>
public sealed class BlobMaterialStorage(BlobContainerClient container, TimeProvider clock) : IMaterialStorage
{
    // Allows for clocks of phones and servers that disagree by a few minutes.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _keyLock = new(1, 1);
    private UserDelegationKey? _delegationKey;

    public async Task<UploadTarget> CreateUploadTargetAsync(string blobName, string contentType, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var blob = container.GetBlobClient(blobName);
        var sas = new BlobSasBuilder
        {
            BlobContainerName = container.Name,
            BlobName = blobName,
            Resource = "b",
            StartsOn = clock.GetUtcNow() - ClockSkew,
            ExpiresOn = expiresAt,
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };
        sas.SetPermissions(BlobSasPermissions.Create | BlobSasPermissions.Write);

        var url = await SignAsync(blob, sas, expiresAt, cancellationToken);
        var headers = new Dictionary<string, string>
        {
            ["x-ms-blob-type"] = "BlockBlob",
            ["Content-Type"] = contentType,
        };
        return new UploadTarget(url, "PUT", headers, expiresAt);
    }

    public async Task<ReadLink> CreateReadLinkAsync(string sealedBlobName, string contentType, string contentDisposition, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        // Read only, this one blob, HTTPS wherever the account speaks it; the response headers are fixed by
        // the signature (rsct, rscd), so the holder cannot turn the download into a page the browser renders.
        var blob = container.GetBlobClient(sealedBlobName);
        var sas = new BlobSasBuilder
        {
            BlobContainerName = container.Name,
            BlobName = sealedBlobName,
            Resource = "b",
            StartsOn = clock.GetUtcNow() - ClockSkew,
            ExpiresOn = expiresAt,
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
            ContentType = contentType,
            ContentDisposition = contentDisposition,
        };
        sas.SetPermissions(BlobSasPermissions.Read);
        return new ReadLink(await SignAsync(blob, sas, expiresAt, cancellationToken), expiresAt);
    }

    /// <summary>A service SAS with an account key (Azurite); otherwise a user-delegation SAS under the app's identity.</summary>
    private async Task<Uri> SignAsync(BlobClient blob, BlobSasBuilder sas, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        if (blob.CanGenerateSasUri)
        {
            return blob.GenerateSasUri(sas);
        }
        var key = await DelegationKeyAsync(expiresAt, cancellationToken);
        return new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key, container.AccountName) }.ToUri();
    }

    public async Task<UploadedBlob?> InspectAsync(string blobName, long declaredSize, string sealAs, CancellationToken cancellationToken)
    {
        var blob = container.GetBlobClient(blobName);
        BlobProperties properties;
        try
        {
            properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
        {
            return null;
        }

        if (properties.ContentLength != declaredSize)
        {
            // A range read of an empty blob is refused (416), and there is nothing to sniff anyway.
            var head = properties.ContentLength == 0 ? [] : (await ReadHeadAsync(blob, null, cancellationToken)).Head;
            return new UploadedBlob(properties.ContentLength, properties.ContentType, head, null);
        }

        // Blob Storage copies the blob itself (Copy Blob From URL, synchronous), only if it is still the one whose
        // properties were just read: no byte of the file passes through the function, and a write to the upload URL
        // meanwhile fails the source condition. The copy keeps the source's Content-MD5 and Content-Type.
        var sealedBlob = container.GetBlobClient(sealAs);
        BlobCopyInfo copied;
        try
        {
            var source = await CopySourceAsync(blob, cancellationToken);
            copied = (await sealedBlob.SyncCopyFromUriAsync(source,
                new BlobCopyFromUriOptions { SourceConditions = new BlobRequestConditions { IfMatch = properties.ETag } }, cancellationToken)).Value;
        }
        catch (RequestFailedException e) when (e.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            throw new MaterialChangedException($"Blob '{blobName}' changed while it was sealed.", e);
        }

        // The signature is checked on the sealed bytes: the first few, read under the copy's own ETag.
        var (sealedHead, sealedMd5) = await ReadHeadAsync(sealedBlob, copied.ETag, cancellationToken);
        var md5 = sealedMd5 ?? properties.ContentHash;
        return new UploadedBlob(properties.ContentLength, properties.ContentType, sealedHead,
            new SealedCopy(copied.ETag.ToString(), md5 is { Length: 16 } ? Convert.ToBase64String(md5) : null));
    }

    /// <summary>
    /// The uploaded blob's URL with a read-only SAS of a few minutes, for the copy's source: Copy Blob From URL
    /// authorizes its source separately, and with shared keys off (Azure) that is a user-delegation SAS.
    /// </summary>
    private async Task<Uri> CopySourceAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        var expiresAt = clock.GetUtcNow() + TimeSpan.FromMinutes(5);
        var sas = new BlobSasBuilder
        {
            BlobContainerName = container.Name,
            BlobName = blob.Name,
            Resource = "b",
            StartsOn = clock.GetUtcNow() - ClockSkew,
            ExpiresOn = expiresAt,
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };
        sas.SetPermissions(BlobSasPermissions.Read);
        return await SignAsync(blob, sas, expiresAt, cancellationToken);
    }

    public async Task DiscardAsync(string blobName, CancellationToken cancellationToken) =>
        await container.GetBlobClient(blobName).DeleteIfExistsAsync(cancellationToken: cancellationToken);

    /// <summary>
    /// The first <see cref="MaterialRules.HeadLength"/> bytes, and the whole blob's MD5 when the service returns it
    /// with a range (x-ms-blob-content-md5).
    /// </summary>
    private static async Task<(byte[] Head, byte[]? Md5)> ReadHeadAsync(BlobClient blob, ETag? ifMatch, CancellationToken cancellationToken)
    {
        try
        {
            var download = await blob.DownloadContentAsync(new BlobDownloadOptions
            {
                Range = new HttpRange(0, MaterialRules.HeadLength),
                Conditions = ifMatch is { } etag ? new BlobRequestConditions { IfMatch = etag } : null,
            }, cancellationToken);
            return (download.Value.Content.ToArray(), download.Value.Details.BlobContentHash);
        }
        catch (RequestFailedException e) when (ifMatch is not null && e.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            throw new MaterialChangedException($"Sealed copy '{blob.Name}' changed while it was read.", e);
        }
    }

    private async Task<UserDelegationKey> DelegationKeyAsync(DateTimeOffset neededUntil, CancellationToken cancellationToken)
    {
        await _keyLock.WaitAsync(cancellationToken);
        try
        {
            if (_delegationKey is null || _delegationKey.SignedExpiresOn < neededUntil)
            {
                var now = clock.GetUtcNow();
                // One key serves many uploads; it lives a few hours, well under the 7-day maximum.
                var service = container.GetParentBlobServiceClient();
                _delegationKey = (await service.GetUserDelegationKeyAsync(now - ClockSkew, neededUntil + TimeSpan.FromHours(4), cancellationToken)).Value;
            }
            return _delegationKey;
        }
        finally
        {
            _keyLock.Release();
        }
    }
}
