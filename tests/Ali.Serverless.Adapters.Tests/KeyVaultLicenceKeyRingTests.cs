using System.Security.Cryptography;
using Ali.Serverless.Adapters.Azure.KeyVault;
using Ali.Serverless.Licences;
using Azure;
using Azure.Security.KeyVault.Secrets;
using Moq;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>
/// The Key Vault key ring over a mocked SecretClient: every enabled version of the secret is a key, the
/// newest first; disabled versions are left out; the versions are read again only after the refresh time.
/// </summary>
public sealed class KeyVaultLicenceKeyRingTests
{
    private const string SecretName = "licence-signing-key";
    private readonly Mock<SecretClient> _client = new();
    private readonly List<(SecretProperties Properties, string Pem)> _versions = [];
    private int _listings;

    public KeyVaultLicenceKeyRingTests()
    {
        _client.Setup(c => c.GetPropertiesOfSecretVersionsAsync(SecretName, It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                _listings++;
                return AsyncPageable<SecretProperties>.FromPages([Page<SecretProperties>.FromValues(_versions.Select(v => v.Properties).ToList(), null, Mock.Of<Response>())]);
            });
        _client.Setup(c => c.GetSecretAsync(SecretName, It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string name, string version, CancellationToken _) =>
            {
                var found = _versions.Single(v => v.Properties.Version == version);
                return Response.FromValue(SecretModelFactory.KeyVaultSecret(found.Properties, found.Pem), Mock.Of<Response>());
            });
    }

    private string AddVersion(string version, DateTimeOffset createdOn, bool enabled = true)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var properties = SecretModelFactory.SecretProperties(
            new Uri($"https://kv.example.vault.azure.cn/secrets/{SecretName}/{version}"), new Uri("https://kv.example.vault.azure.cn/"), SecretName, version,
            createdOn: createdOn);
        properties.Enabled = enabled;
        _versions.Add((properties, key.ExportPkcs8PrivateKeyPem()));
        return LicenceSignatures.KeyIdOf(key);
    }

    [Fact]
    public async Task EnabledVersions_AreTheKeys_NewestFirst_DisabledOnesLeftOut()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));
        var old = AddVersion("v1", clock.GetUtcNow().AddDays(-30));
        var newest = AddVersion("v2", clock.GetUtcNow().AddDays(-1));
        AddVersion("v0", clock.GetUtcNow().AddDays(-60), enabled: false);
        var ring = new KeyVaultLicenceKeyRing(_client.Object, SecretName, clock, TimeSpan.FromMinutes(10));

        var keys = await ring.GetKeysAsync(default);

        Assert.Equal([newest, old], keys.Select(k => k.KeyId));
    }

    [Fact]
    public async Task ARotation_IsSeenAfterTheRefreshTime_NotBefore()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));
        var first = AddVersion("v1", clock.GetUtcNow().AddDays(-30));
        var ring = new KeyVaultLicenceKeyRing(_client.Object, SecretName, clock, TimeSpan.FromMinutes(10));
        Assert.Equal([first], (await ring.GetKeysAsync(default)).Select(k => k.KeyId));

        var second = AddVersion("v2", clock.GetUtcNow());
        Assert.Equal([first], (await ring.GetKeysAsync(default)).Select(k => k.KeyId));
        clock.Advance(TimeSpan.FromMinutes(11));

        Assert.Equal([second, first], (await ring.GetKeysAsync(default)).Select(k => k.KeyId));
        Assert.Equal(2, _listings);
    }

    [Fact]
    public async Task ASecretWithoutAnEnabledVersion_SaysWhatToDo()
    {
        AddVersion("v1", DateTimeOffset.UnixEpoch, enabled: false);
        var ring = new KeyVaultLicenceKeyRing(_client.Object, SecretName, TimeProvider.System, TimeSpan.FromMinutes(10));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ring.GetKeysAsync(default));

        Assert.Contains(SecretName, error.Message, StringComparison.Ordinal);
        Assert.Contains("PKCS#8", error.Message, StringComparison.Ordinal);
    }
}

