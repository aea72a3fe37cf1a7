using System.Net;
using System.Text;
using Ali.Serverless.Adapters.Azure.Blobs;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>
/// The production path: no account key, so upload URLs are user-delegation SAS signed with a key
/// obtained under an Entra ID token. Runs against an Azurite started with --oauth basic over HTTPS
/// (scripts/test.sh), which checks the token's audience, issuer and lifetime but not its signature.
/// </summary>
public sealed class UserDelegationSasTests : IAsyncLifetime
{
    private static readonly HttpClientHandler AcceptTestCertificate = new()
    {
        ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
    };

    private readonly BlobContainerClient _container = new BlobServiceClient(
            new Uri(TestEnvironment.OAuthBlobEndpoint),
            new UnsignedTestToken(),
            new BlobClientOptions { Transport = new HttpClientTransport(AcceptTestCertificate) })
        .GetBlobContainerClient(TestEnvironment.UniqueName("materials-"));

    public async Task InitializeAsync() => await _container.CreateIfNotExistsAsync();

    public async Task DisposeAsync() => await _container.DeleteIfExistsAsync();

    [Fact]
    public async Task WithoutAnAccountKey_UploadTargetIsAUserDelegationSas_ThatAcceptsThePut()
    {
        var storage = new BlobMaterialStorage(_container, TimeProvider.System);
        var bytes = "%PDF-1.7 delegated"u8.ToArray();

        var target = await storage.CreateUploadTargetAsync("app1/m1", "application/pdf", DateTimeOffset.UtcNow.AddMinutes(5), default);
        using var http = new HttpClient(AcceptTestCertificate, disposeHandler: false);
        using var put = new HttpRequestMessage(HttpMethod.Put, target.Url) { Content = new ByteArrayContent(bytes) };
        put.Headers.Add("x-ms-blob-type", "BlockBlob");
        put.Content.Headers.ContentType = new("application/pdf");
        var response = await http.SendAsync(put);
        var inspected = await storage.InspectAsync("app1/m1", bytes.Length, "verified/app1/m1", default);

        Assert.False(_container.CanGenerateSasUri);
        Assert.Contains("skoid=", target.Url.Query, StringComparison.Ordinal); // signed with a delegation key
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(bytes.Length, inspected?.SizeBytes);
    }

    [Fact]
    public async Task WithoutAnAccountKey_ReadLinkIsAUserDelegationSas_ThatReadsOverHttps_AndDoesNotWrite()
    {
        var storage = new BlobMaterialStorage(_container, TimeProvider.System);
        var bytes = "%PDF-1.7 sealed, delegated"u8.ToArray();
        await _container.GetBlobClient("verified/app1/m1").UploadAsync(BinaryData.FromBytes(bytes));

        var link = await storage.CreateReadLinkAsync("verified/app1/m1", "application/pdf", "attachment; filename=\"m1.pdf\"", DateTimeOffset.UtcNow.AddMinutes(5), default);
        using var http = new HttpClient(AcceptTestCertificate, disposeHandler: false);
        using var read = await http.GetAsync(link.Url);
        using var put = new HttpRequestMessage(HttpMethod.Put, link.Url) { Content = new ByteArrayContent("%PDF-1.7 swapped"u8.ToArray()) };
        put.Headers.Add("x-ms-blob-type", "BlockBlob");
        using var write = await http.SendAsync(put);

        Assert.Contains("skoid=", link.Url.Query, StringComparison.Ordinal);
        Assert.Contains("spr=https", link.Url.Query, StringComparison.Ordinal);
        Assert.Equal(Uri.UriSchemeHttps, link.Url.Scheme);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(bytes, await read.Content.ReadAsByteArrayAsync());
        Assert.Equal("attachment; filename=\"m1.pdf\"", read.Content.Headers.GetValues("Content-Disposition").Single());
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
    }

    [Fact]
    public async Task WithoutAnAccountKey_SealingIsACopyWhoseSourceIsAReadOnlyDelegationSas()
    {
        var copySources = new List<string>();
        var options = new BlobClientOptions { Transport = new HttpClientTransport(AcceptTestCertificate) };
        options.AddPolicy(new SeeCopySource(copySources), HttpPipelinePosition.PerCall);
        var container = new BlobServiceClient(new Uri(TestEnvironment.OAuthBlobEndpoint), new UnsignedTestToken(), options).GetBlobContainerClient(_container.Name);
        var storage = new BlobMaterialStorage(container, TimeProvider.System);
        var bytes = "%PDF-1.7 sealed without a key"u8.ToArray();
        await _container.GetBlobClient("app1/m2").UploadAsync(BinaryData.FromBytes(bytes));

        var inspected = await storage.InspectAsync("app1/m2", bytes.Length, "verified/app1/m2", default);

        var source = new Uri(Assert.Single(copySources));
        using var http = new HttpClient(AcceptTestCertificate, disposeHandler: false);
        using var read = await http.GetAsync(source);
        using var put = new HttpRequestMessage(HttpMethod.Put, source) { Content = new ByteArrayContent("%PDF-1.7 swapped"u8.ToArray()) };
        put.Headers.Add("x-ms-blob-type", "BlockBlob");
        using var write = await http.SendAsync(put);
        Assert.Contains("skoid=", source.Query, StringComparison.Ordinal);
        Assert.Contains("sp=r&", source.Query + "&", StringComparison.Ordinal);
        Assert.EndsWith("/app1/m2", source.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Equal(bytes, (await _container.GetBlobClient("verified/app1/m2").DownloadContentAsync()).Value.Content.ToArray());
        Assert.Equal(Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(bytes)), inspected?.Sealed?.ContentMd5);
    }

    /// <summary>Notes the x-ms-copy-source of every copy request.</summary>
    private sealed class SeeCopySource(List<string> seen) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            if (message.Request.Headers.TryGetValue("x-ms-copy-source", out var source))
            {
                seen.Add(source);
            }
        }
    }

    /// <summary>An Entra-shaped access token for Azurite: right audience, issuer and lifetime, no real signature.</summary>
    private sealed class UnsignedTestToken : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            var now = DateTimeOffset.UtcNow;
            static string Part(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var payload = $$"""{"aud":"https://storage.azure.com","iss":"https://sts.windows.net/ab1f708d-50f6-404c-a006-d71b2ac7a606/","nbf":{{now.AddMinutes(-5).ToUnixTimeSeconds()}},"iat":{{now.AddMinutes(-5).ToUnixTimeSeconds()}},"exp":{{now.AddHours(1).ToUnixTimeSeconds()}},"oid":"00000000-0000-0000-0000-000000000001","tid":"ab1f708d-50f6-404c-a006-d71b2ac7a606"}""";
            return new AccessToken($"{Part("""{"alg":"RS256","typ":"JWT"}""")}.{Part(payload)}.c2ln", now.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
