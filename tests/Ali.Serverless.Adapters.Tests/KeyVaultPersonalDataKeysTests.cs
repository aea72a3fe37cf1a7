using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ali.Serverless.Adapters.Azure.KeyVault;
using Ali.Serverless.PersonalData;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>
/// The Key Vault key source through the real SecretClient, against a stand-in for the vault's REST API
/// (no vault can be reached from here): versions as KEK versions, latest as current, the index key
/// apart, a new version from the rotation command, and a missing version as null.
/// </summary>
public sealed class KeyVaultPersonalDataKeysTests
{
    private static readonly Uri Vault = new("https://ali-test.vault.azure.cn/");

    private readonly FakeVault _vault = new();
    private readonly ManualClock _clock = new(DateTimeOffset.UnixEpoch);

    private KeyVaultPersonalDataKeys Keys() => KeyVaultPersonalDataKeys.Create(
        Vault, new StaticCredential(), "personal-data-kek", "personal-data-index-key", _clock,
        new SecretClientOptions
        {
            Transport = new HttpClientTransport(new HttpClient(_vault)),
            DisableChallengeResourceVerification = true,
            Retry = { MaxRetries = 0 },
        });

    [Fact]
    public async Task TheLatestVersionIsCurrent_OlderOnesStayReadableById()
    {
        var first = _vault.Add("personal-data-kek");
        var second = _vault.Add("personal-data-kek");
        var keys = Keys();

        var current = await keys.GetCurrentAsync(default);
        var old = await keys.GetAsync(first.Version, default);

        Assert.Equal(second.Version, current.Id);
        Assert.Equal(second.Bytes, current.Bytes);
        Assert.Equal(first.Bytes, old!.Bytes);
        Assert.Null(await keys.GetAsync("0123456789abcdef0123456789abcdef", default));
        Assert.All(_vault.Requests.Where(r => r.Authorized), r => Assert.Equal("Bearer test-token", r.Authorization));
    }

    [Fact]
    public async Task TheIndexKey_IsItsOwnSecret()
    {
        _vault.Add("personal-data-kek");
        var index = _vault.Add("personal-data-index-key");

        Assert.Equal(index.Bytes, await Keys().GetIndexKeyAsync(default));
    }

    [Fact]
    public async Task ANewVersion_BecomesCurrent_AtOnceHere_AndElsewhereWithinTheCacheLifetime()
    {
        _vault.Add("personal-data-kek");
        var rotating = Keys();
        var elsewhere = Keys();
        var before = await elsewhere.GetCurrentAsync(default);

        var added = await rotating.AddVersionAsync(default);

        Assert.Equal(added, (await rotating.GetCurrentAsync(default)).Id);
        Assert.Equal(32, (await rotating.GetCurrentAsync(default)).Bytes.Length);
        Assert.Equal(before.Id, (await elsewhere.GetCurrentAsync(default)).Id);
        _clock.Advance(KeyVaultPersonalDataKeys.CurrentVersionLifetime);
        Assert.Equal(added, (await elsewhere.GetCurrentAsync(default)).Id);
    }

    [Fact]
    public async Task ASecretThatIsNotA256BitKey_IsRefusedByName()
    {
        _vault.Put("personal-data-kek", "0123456789abcdef0123456789abcdef", "not-a-key");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Keys().GetCurrentAsync(default));

        Assert.Contains("personal-data-kek", error.Message, StringComparison.Ordinal);
    }

    private sealed class StaticCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new("test-token", DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    /// <summary>The few Key Vault secret operations used, with the bearer challenge the client expects first.</summary>
    private sealed class FakeVault : HttpMessageHandler
    {
        private readonly Dictionary<string, List<(string Version, string Value)>> _secrets = new(StringComparer.Ordinal);

        public List<(bool Authorized, string? Authorization)> Requests { get; } = [];

        public (string Version, byte[] Bytes) Add(string name)
        {
            var bytes = RandomNumberGenerator.GetBytes(32);
            var version = Guid.NewGuid().ToString("N");
            Put(name, version, Convert.ToBase64String(bytes));
            return (version, bytes);
        }

        public void Put(string name, string version, string value)
        {
            if (!_secrets.TryGetValue(name, out var versions))
            {
                _secrets[name] = versions = [];
            }
            versions.Add((version, value));
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var authorization = request.Headers.Authorization?.ToString();
            Requests.Add((authorization is not null, authorization));
            if (authorization is null)
            {
                var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized);
                challenge.Headers.TryAddWithoutValidation("WWW-Authenticate",
                    "Bearer authorization=\"https://login.chinacloudapi.cn/tenant-1\", resource=\"https://vault.azure.cn\"");
                return challenge;
            }
            var segments = request.RequestUri!.AbsolutePath.Trim('/').Split('/');
            if (segments is not ["secrets", var name, ..])
            {
                return new HttpResponseMessage(HttpStatusCode.BadRequest);
            }
            if (request.Method == HttpMethod.Put)
            {
                var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken)).RootElement;
                var version = Guid.NewGuid().ToString("N");
                Put(name, version, body.GetProperty("value").GetString()!);
                return Secret(name, version, body.GetProperty("value").GetString()!);
            }
            if (!_secrets.TryGetValue(name, out var versions))
            {
                return NotFound();
            }
            var wanted = segments.Length > 2 && segments[2].Length > 0 ? segments[2] : null;
            var found = wanted is null ? versions[^1] : versions.FirstOrDefault(v => v.Version == wanted);
            return found.Version is null ? NotFound() : Secret(name, found.Version, found.Value);
        }

        private static HttpResponseMessage Secret(string name, string version, string value) => new(HttpStatusCode.OK)
        {
            Content = new StringContent(JsonSerializer.Serialize(new
            {
                value,
                id = $"{Vault}secrets/{name}/{version}",
                attributes = new { enabled = true },
            }), Encoding.UTF8, "application/json"),
        };

        private static HttpResponseMessage NotFound() => new(HttpStatusCode.NotFound)
        {
            Content = new StringContent("""{"error":{"code":"SecretNotFound","message":"missing"}}""", Encoding.UTF8, "application/json"),
        };
    }
}

internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
