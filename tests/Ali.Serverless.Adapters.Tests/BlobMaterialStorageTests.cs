using System.Net;
using System.Security.Cryptography;
using Ali.Serverless.Adapters.Azure.Blobs;
using Azure.Storage.Blobs;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>Upload targets and blob inspection against Azurite.</summary>
public sealed class BlobMaterialStorageTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private readonly BlobContainerClient _container =
        new BlobServiceClient(TestEnvironment.Storage).GetBlobContainerClient(TestEnvironment.UniqueName("materials-"));

    public async Task InitializeAsync() => await _container.CreateIfNotExistsAsync();

    public async Task DisposeAsync() => await _container.DeleteIfExistsAsync();

    private BlobMaterialStorage Storage => new(_container, TimeProvider.System);

    [Fact]
    public async Task UploadTarget_AcceptsAPlainPut_AndInspectReportsSizeTypeHashAndHead()
    {
        var bytes = "%PDF-1.7 test material"u8.ToArray();
        var target = await Storage.CreateUploadTargetAsync("app1/m1", "application/pdf", DateTimeOffset.UtcNow.AddMinutes(5), default);

        var put = await PutAsync(target, bytes);
        var blob = await Storage.InspectAsync("app1/m1", bytes.Length, "verified/app1/m1", default);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.NotNull(blob);
        Assert.Equal(bytes.Length, blob.SizeBytes);
        Assert.Equal("application/pdf", blob.ContentType);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), blob.Sha256);
        Assert.Equal(bytes[..16], blob.Head);
    }

    [Fact]
    public async Task UploadTarget_IsWriteOnly_AndForThatOneBlob()
    {
        var target = await Storage.CreateUploadTargetAsync("app1/m1", "application/pdf", DateTimeOffset.UtcNow.AddMinutes(5), default);
        await PutAsync(target, "%PDF-1"u8.ToArray());

        var read = await Http.GetAsync(target.Url);
        var otherBlob = new UriBuilder(target.Url) { Path = target.Url.AbsolutePath.Replace("app1/m1", "app1/m2", StringComparison.Ordinal) }.Uri;
        var writeElsewhere = await PutAsync(target with { Url = otherBlob }, "%PDF-1"u8.ToArray());

        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, writeElsewhere.StatusCode);
    }

    [Fact]
    public async Task UploadTarget_Expired_IsRefused()
    {
        var target = await Storage.CreateUploadTargetAsync("app1/m1", "application/pdf", DateTimeOffset.UtcNow.AddSeconds(-1), default);

        var put = await PutAsync(target, "%PDF-1"u8.ToArray());

        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
    }

    [Fact]
    public async Task Inspect_NothingUploaded_ReturnsNull()
    {
        Assert.Null(await Storage.InspectAsync("app1/none", 10, "verified/app1/none", default));
    }

    [Fact]
    public async Task Inspect_SizeDiffersFromDeclaration_DoesNotHash()
    {
        var target = await Storage.CreateUploadTargetAsync("app1/big", "application/pdf", DateTimeOffset.UtcNow.AddMinutes(5), default);
        await PutAsync(target, new byte[4096]);

        var blob = await Storage.InspectAsync("app1/big", 10, "verified/app1/big", default);

        Assert.NotNull(blob);
        Assert.Equal(4096, blob.SizeBytes);
        Assert.Null(blob.Sha256);
    }

    [Fact]
    public async Task Inspect_EmptyUpload_ReportsZeroBytes_WithoutFailing()
    {
        var target = await Storage.CreateUploadTargetAsync("app1/empty", "application/pdf", DateTimeOffset.UtcNow.AddMinutes(5), default);
        await PutAsync(target, []);

        var blob = await Storage.InspectAsync("app1/empty", 10, "verified/app1/empty", default);

        Assert.NotNull(blob);
        Assert.Equal(0, blob.SizeBytes);
        Assert.Empty(blob.Head);
    }

    [Fact]
    public async Task Inspect_SealsACopyOfTheVerifiedBytes_ThatALaterWriteToTheUploadUrlDoesNotChange()
    {
        var bytes = "%PDF-1.7 the verified material"u8.ToArray();
        var target = await Storage.CreateUploadTargetAsync("app1/sealed", "application/pdf", DateTimeOffset.UtcNow.AddMinutes(5), default);
        await PutAsync(target, bytes);

        var inspected = await Storage.InspectAsync("app1/sealed", bytes.Length, "verified/app1/sealed", default);
        // The upload URL is still valid: a swap is written to the uploaded blob...
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(target, "%PDF-1.7 something else entirely"u8.ToArray())).StatusCode);

        // ...while the sealed copy keeps exactly what was hashed.
        var sealedBytes = (await _container.GetBlobClient("verified/app1/sealed").DownloadContentAsync()).Value.Content.ToArray();
        Assert.Equal(bytes, sealedBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), inspected!.Sha256);
        Assert.Equal("application/pdf", (await _container.GetBlobClient("verified/app1/sealed").GetPropertiesAsync()).Value.ContentType);
    }

    [Fact]
    public async Task Discard_DeletesTheSealedCopy_AndToleratesNone()
    {
        await _container.GetBlobClient("verified/app1/x").UploadAsync(BinaryData.FromString("x"));

        await Storage.DiscardAsync("verified/app1/x", default);
        await Storage.DiscardAsync("verified/app1/x", default);

        Assert.False((await _container.GetBlobClient("verified/app1/x").ExistsAsync()).Value);
    }

    private static async Task<HttpResponseMessage> PutAsync(Materials.UploadTarget target, byte[] bytes)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, target.Url) { Content = new ByteArrayContent(bytes) };
        foreach (var (name, value) in target.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }
        return await Http.SendAsync(request);
    }
}
