using System.Net;
using System.Security.Cryptography;
using System.Text;
using Ali.Serverless.Adapters.Azure.Blobs;
using Azure.Storage.Blobs;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>Upload targets, what Blob Storage checks of an upload, and sealing by copy, against Azurite.</summary>
public sealed class BlobMaterialStorageTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private readonly BlobContainerClient _container =
        new BlobServiceClient(TestEnvironment.Storage).GetBlobContainerClient(TestEnvironment.UniqueName("materials-"));

    public async Task InitializeAsync() => await _container.CreateIfNotExistsAsync();

    public async Task DisposeAsync() => await _container.DeleteIfExistsAsync();

    private BlobMaterialStorage Storage => new(_container, TimeProvider.System);

    [Fact]
    public async Task UploadTarget_AcceptsAPlainPut_AndInspectReportsSizeTypeHeadAndTheMd5TheServiceComputed()
    {
        var bytes = "%PDF-1.7 test material"u8.ToArray();
        var target = await Storage.CreateUploadTargetAsync("app1/m1", "application/pdf", DateTimeOffset.UtcNow.AddMinutes(5), default);

        // No Content-MD5 sent: Blob Storage computes and keeps one for a single PUT.
        var put = await PutAsync(target, bytes);
        var blob = await Storage.InspectAsync("app1/m1", bytes.Length, "verified/app1/m1", default);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.NotNull(blob);
        Assert.Equal(bytes.Length, blob.SizeBytes);
        Assert.Equal("application/pdf", blob.ContentType);
        Assert.Equal(bytes[..16], blob.Head);
        Assert.Equal(Md5(bytes), blob.Sealed?.ContentMd5);
        Assert.Equal((await _container.GetBlobClient("verified/app1/m1").GetPropertiesAsync()).Value.ETag.ToString(), blob.Sealed!.ETag);
    }

    [Fact]
    public async Task SinglePut_WithAContentMd5ThatIsNotTheBytes_IsRefusedByBlobStorage_AndWithTheRightOneIsKept()
    {
        var bytes = "%PDF-1.7 what was declared"u8.ToArray();
        var target = await Storage.CreateUploadTargetAsync("app1/md5", "application/pdf", DateTimeOffset.UtcNow.AddMinutes(5), default);

        var wrong = await PutAsync(target, "%PDF-1.7 damaged in transit"u8.ToArray(), Md5(bytes));
        Assert.False((await _container.GetBlobClient("app1/md5").ExistsAsync()).Value);
        var right = await PutAsync(target, bytes, Md5(bytes));
        var blob = await Storage.InspectAsync("app1/md5", bytes.Length, "verified/app1/md5", default);

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Created, right.StatusCode);
        Assert.Equal(Md5(bytes), blob?.Sealed?.ContentMd5);
    }

    [Fact]
    public async Task BlockUpload_EachBlocksMd5IsChecked_AndTheBlockListsMd5IsWhatInspectReports()
    {
        var first = Pdf(300);
        var second = new byte[200];
        RandomNumberGenerator.Fill(second);
        var whole = first.Concat(second).ToArray();
        var target = await Storage.CreateUploadTargetAsync("app1/blocks", "application/pdf", DateTimeOffset.UtcNow.AddMinutes(5), default);
        string Id(int i) => Convert.ToBase64String(Encoding.ASCII.GetBytes($"block-{i:D6}"));

        var damaged = await SendAsync(target, $"comp=block&blockid={Uri.EscapeDataString(Id(0))}", second, new() { ["Content-MD5"] = Md5(first) });
        var block0 = await SendAsync(target, $"comp=block&blockid={Uri.EscapeDataString(Id(0))}", first, new() { ["Content-MD5"] = Md5(first) });
        var block1 = await SendAsync(target, $"comp=block&blockid={Uri.EscapeDataString(Id(1))}", second, new() { ["Content-MD5"] = Md5(second) });
        var list = Encoding.UTF8.GetBytes($"<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList><Latest>{Id(0)}</Latest><Latest>{Id(1)}</Latest></BlockList>");
        var commit = await SendAsync(target, "comp=blocklist", list,
            new() { ["x-ms-blob-content-md5"] = Md5(whole), ["x-ms-blob-content-type"] = "application/pdf" });
        var blob = await Storage.InspectAsync("app1/blocks", whole.Length, "verified/app1/blocks", default);

        Assert.Equal(HttpStatusCode.BadRequest, damaged.StatusCode);
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created), (block0.StatusCode, block1.StatusCode, commit.StatusCode));
        Assert.Equal(Md5(whole), blob?.Sealed?.ContentMd5);
        Assert.Equal("application/pdf", blob!.ContentType);
        Assert.Equal(whole, (await _container.GetBlobClient("verified/app1/blocks").DownloadContentAsync()).Value.Content.ToArray());
    }

    [Fact]
    public async Task BlockUpload_CommittedWithoutAnMd5_IsSealedWithNone()
    {
        var bytes = Pdf(500);
        var target = await Storage.CreateUploadTargetAsync("app1/nomd5", "application/pdf", DateTimeOffset.UtcNow.AddMinutes(5), default);
        var id = Convert.ToBase64String(Encoding.ASCII.GetBytes("block-000000"));
        await SendAsync(target, $"comp=block&blockid={Uri.EscapeDataString(id)}", bytes, []);
        await SendAsync(target, "comp=blocklist", Encoding.UTF8.GetBytes($"<BlockList><Latest>{id}</Latest></BlockList>"), new() { ["x-ms-blob-content-type"] = "application/pdf" });

        var blob = await Storage.InspectAsync("app1/nomd5", bytes.Length, "verified/app1/nomd5", default);

        Assert.NotNull(blob?.Sealed);
        Assert.Null(blob.Sealed.ContentMd5);
        Assert.Equal(bytes[..16], blob.Head);
    }

    [Fact]
    public async Task Inspect_MovesNoFileBodyThroughTheFunction_OnlyTheSixteenBytesOfTheSignature()
    {
        var bytes = Pdf(200_000);
        var target = await Storage.CreateUploadTargetAsync("app1/big", "application/pdf", DateTimeOffset.UtcNow.AddMinutes(5), default);
        await PutAsync(target, bytes, Md5(bytes));
        var wire = new CountBodies();
        var options = new BlobClientOptions();
        options.AddPolicy(wire, global::Azure.Core.HttpPipelinePosition.PerRetry);
        var container = new BlobServiceClient(TestEnvironment.Storage, options).GetBlobContainerClient(_container.Name);

        var blob = await new BlobMaterialStorage(container, TimeProvider.System).InspectAsync("app1/big", bytes.Length, "verified/app1/big", default);

        Assert.Equal(Md5(bytes), blob?.Sealed?.ContentMd5);
        Assert.Equal((0L, (long)Materials.MaterialRules.HeadLength), (wire.RequestBodyBytes, wire.ResponseBodyBytes));
        Assert.Equal(bytes, (await _container.GetBlobClient("verified/app1/big").DownloadContentAsync()).Value.Content.ToArray());
    }

    /// <summary>Adds up the bodies the function sends and receives: request contents, and responses of every method but HEAD.</summary>
    private sealed class CountBodies : global::Azure.Core.Pipeline.HttpPipelinePolicy
    {
        public long RequestBodyBytes { get; private set; }
        public long ResponseBodyBytes { get; private set; }

        public override void Process(global::Azure.Core.HttpMessage message, ReadOnlyMemory<global::Azure.Core.Pipeline.HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(global::Azure.Core.HttpMessage message, ReadOnlyMemory<global::Azure.Core.Pipeline.HttpPipelinePolicy> pipeline)
        {
            if (message.Request.Content is { } content && content.TryComputeLength(out var length))
            {
                RequestBodyBytes += length;
            }
            await ProcessNextAsync(message, pipeline);
            if (message.Request.Method != global::Azure.Core.RequestMethod.Head && message.Response.Headers.ContentLength is { } received)
            {
                ResponseBodyBytes += received;
            }
        }
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
    public async Task Inspect_SizeDiffersFromDeclaration_SealsNothing()
    {
        var target = await Storage.CreateUploadTargetAsync("app1/big", "application/pdf", DateTimeOffset.UtcNow.AddMinutes(5), default);
        await PutAsync(target, new byte[4096]);

        var blob = await Storage.InspectAsync("app1/big", 10, "verified/app1/big", default);

        Assert.NotNull(blob);
        Assert.Equal(4096, blob.SizeBytes);
        Assert.Null(blob.Sealed);
        Assert.False((await _container.GetBlobClient("verified/app1/big").ExistsAsync()).Value);
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

        // ...while the sealed copy keeps exactly what was checked, with its type and MD5.
        var sealedBytes = (await _container.GetBlobClient("verified/app1/sealed").DownloadContentAsync()).Value.Content.ToArray();
        var sealedProperties = (await _container.GetBlobClient("verified/app1/sealed").GetPropertiesAsync()).Value;
        Assert.Equal(bytes, sealedBytes);
        Assert.Equal(Md5(bytes), inspected!.Sealed!.ContentMd5);
        Assert.Equal(Md5(bytes), Convert.ToBase64String(sealedProperties.ContentHash));
        Assert.Equal("application/pdf", sealedProperties.ContentType);
        Assert.Equal(sealedProperties.ETag.ToString(), inspected.Sealed.ETag);
    }

    [Fact]
    public async Task Discard_DeletesTheSealedCopy_AndToleratesNone()
    {
        await _container.GetBlobClient("verified/app1/x").UploadAsync(BinaryData.FromString("x"));

        await Storage.DiscardAsync("verified/app1/x", default);
        await Storage.DiscardAsync("verified/app1/x", default);

        Assert.False((await _container.GetBlobClient("verified/app1/x").ExistsAsync()).Value);
    }

    [Fact]
    public async Task ReadLink_ReadsTheSealedBytes_AsAnAttachment_AndNothingElse()
    {
        var bytes = "%PDF-1.7 sealed material"u8.ToArray();
        await _container.GetBlobClient("verified/app1/m1").UploadAsync(BinaryData.FromBytes(bytes));
        await _container.GetBlobClient("app1/m1").UploadAsync(BinaryData.FromString("the uploadable blob"));
        var disposition = Materials.MaterialRules.ContentDisposition("营业执照.pdf");

        var link = await Storage.CreateReadLinkAsync("verified/app1/m1", "application/pdf", disposition, DateTimeOffset.UtcNow.AddMinutes(5), default);

        using var read = await Http.GetAsync(link.Url);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(bytes, await read.Content.ReadAsByteArrayAsync());
        Assert.Equal(disposition, read.Content.Headers.GetValues("Content-Disposition").Single());
        Assert.Equal("application/pdf", read.Content.Headers.ContentType!.MediaType);
        Assert.Contains("sp=r&", link.Url.Query + "&", StringComparison.Ordinal);
        Assert.Contains("sr=b", link.Url.Query, StringComparison.Ordinal);

        // Not a write: neither the sealed copy nor anything else can be changed with it.
        using var put = new HttpRequestMessage(HttpMethod.Put, link.Url) { Content = new ByteArrayContent("%PDF-1.7 swapped"u8.ToArray()) };
        put.Headers.Add("x-ms-blob-type", "BlockBlob");
        Assert.Equal(HttpStatusCode.Forbidden, (await Http.SendAsync(put)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Http.DeleteAsync(link.Url)).StatusCode);
        // Not a list of the container.
        var list = new UriBuilder(link.Url) { Path = $"/{_container.AccountName}/{_container.Name}", Query = link.Url.Query.TrimStart('?') + "&restype=container&comp=list" }.Uri;
        Assert.Equal(HttpStatusCode.Forbidden, (await Http.GetAsync(list)).StatusCode);
        // Not another blob: not even the uploadable one of the same material.
        var other = new UriBuilder(link.Url) { Path = link.Url.AbsolutePath.Replace("verified/app1/m1", "app1/m1", StringComparison.Ordinal) }.Uri;
        Assert.Equal(HttpStatusCode.Forbidden, (await Http.GetAsync(other)).StatusCode);
        Assert.Equal(bytes, (await _container.GetBlobClient("verified/app1/m1").DownloadContentAsync()).Value.Content.ToArray());
    }

    [Fact]
    public async Task ReadLink_Expired_IsRefused()
    {
        await _container.GetBlobClient("verified/app1/m1").UploadAsync(BinaryData.FromString("%PDF-1.7"));

        var link = await Storage.CreateReadLinkAsync("verified/app1/m1", "application/pdf", "attachment", DateTimeOffset.UtcNow.AddSeconds(-1), default);

        Assert.Equal(HttpStatusCode.Forbidden, (await Http.GetAsync(link.Url)).StatusCode);
    }

    [Fact]
    public async Task Inspect_WhenTheBlobIsWrittenBetweenItsCheckAndItsCopy_ThrowsMaterialChanged_AndSealsNothing()
    {
        var original = "%PDF-1.7 what was checked"u8.ToArray();
        var target = await Storage.CreateUploadTargetAsync("app1/race", "application/pdf", DateTimeOffset.UtcNow.AddMinutes(5), default);
        await PutAsync(target, original);
        // The applicant's second PUT, of the same size, lands just as verification starts to copy: after the properties.
        var racing = new WriteBeforeCopy(() => PutAsync(target, "%PDF-1.7 what came after!"u8.ToArray()));
        var options = new BlobClientOptions();
        options.AddPolicy(racing, global::Azure.Core.HttpPipelinePosition.PerCall);
        var container = new BlobServiceClient(TestEnvironment.Storage, options).GetBlobContainerClient(_container.Name);

        var error = await Assert.ThrowsAsync<Materials.MaterialChangedException>(() =>
            new BlobMaterialStorage(container, TimeProvider.System).InspectAsync("app1/race", original.Length, "verified/app1/race", default));

        Assert.True(racing.Wrote);
        Assert.Contains("changed", error.Message, StringComparison.Ordinal);
        Assert.False((await _container.GetBlobClient("verified/app1/race").ExistsAsync()).Value);
    }

    /// <summary>Runs a write just before the copy (a PUT carrying x-ms-copy-source) leaves the client.</summary>
    private sealed class WriteBeforeCopy(Func<Task<HttpResponseMessage>> write) : global::Azure.Core.Pipeline.HttpPipelinePolicy
    {
        public bool Wrote { get; private set; }

        public override void Process(global::Azure.Core.HttpMessage message, ReadOnlyMemory<global::Azure.Core.Pipeline.HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(global::Azure.Core.HttpMessage message, ReadOnlyMemory<global::Azure.Core.Pipeline.HttpPipelinePolicy> pipeline)
        {
            if (!Wrote && message.Request.Method == global::Azure.Core.RequestMethod.Put && message.Request.Headers.Contains("x-ms-copy-source"))
            {
                Wrote = true;
                Assert.Equal(HttpStatusCode.Created, (await write()).StatusCode);
            }
            await ProcessNextAsync(message, pipeline);
        }
    }

    private static async Task<HttpResponseMessage> PutAsync(Materials.UploadTarget target, byte[] bytes, string? contentMd5 = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, target.Url) { Content = new ByteArrayContent(bytes) };
        foreach (var (name, value) in target.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }
        if (contentMd5 is not null)
        {
            request.Content.Headers.ContentMD5 = Convert.FromBase64String(contentMd5);
        }
        return await Http.SendAsync(request);
    }

    /// <summary>A Put Block or Put Block List through the upload URL, as the portal sends them.</summary>
    private static async Task<HttpResponseMessage> SendAsync(Materials.UploadTarget target, string query, byte[] body, Dictionary<string, string> headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(target.Url + "&" + query)) { Content = new ByteArrayContent(body) };
        foreach (var (name, value) in headers)
        {
            if (name == "Content-MD5")
            {
                request.Content.Headers.ContentMD5 = Convert.FromBase64String(value);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }
        return await Http.SendAsync(request);
    }

    private static string Md5(byte[] bytes) => Convert.ToBase64String(MD5.HashData(bytes));

    private static byte[] Pdf(int size)
    {
        var bytes = new byte[size];
        RandomNumberGenerator.Fill(bytes);
        "%PDF-1.7\n"u8.CopyTo(bytes);
        return bytes;
    }
}
