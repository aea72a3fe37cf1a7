using Ali.Serverless.Licences;
using Azure.Security.KeyVault.Secrets;

namespace Ali.Serverless.Adapters.Azure.KeyVault;

/// <summary>
/// Licence keys from one Key Vault secret (decision 16): each enabled version holds a P-256 private key as
/// PKCS#8 PEM. The newest enabled version signs; every enabled version verifies, so rotating is adding a
/// version (<c>az keyvault secret set --file</c>) and old licences keep verifying. A secret, not a Key
/// Vault key, because the Keys SDK is not served here: the private key is read into the app's memory to
/// sign, where a Key Vault key would never leave the vault. The versions are read again every
/// <paramref name="refresh"/>, so a rotation reaches running instances without a restart.
/// </summary>
public sealed class KeyVaultLicenceKeyRing(SecretClient client, string secretName, TimeProvider clock, TimeSpan refresh) : ILicenceKeyRing
{
    /// <summary>
    /// A ring over the vault at <paramref name="vaultUri"/> with the app's managed identity. The client learns the
    /// token audience from the vault's own challenge, so a vault in Azure China (vault.azure.cn) works as well.
    /// </summary>
    public static KeyVaultLicenceKeyRing Create(Uri vaultUri, string secretName, string? managedIdentityClientId, TimeProvider clock, TimeSpan refresh) =>
        new(new SecretClient(vaultUri, AzureCredentials.For(managedIdentityClientId)), secretName, clock, refresh);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyList<LicenceKey>? _keys;
    private DateTimeOffset _readAt;

    public async Task<IReadOnlyList<LicenceKey>> GetKeysAsync(CancellationToken cancellationToken)
    {
        if (_keys is { } cached && clock.GetUtcNow() - _readAt < refresh)
        {
            return cached;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_keys is { } again && clock.GetUtcNow() - _readAt < refresh)
            {
                return again;
            }
            var keys = new List<LicenceKey>();
            await foreach (var version in client.GetPropertiesOfSecretVersionsAsync(secretName, cancellationToken))
            {
                if (version.Enabled != true)
                {
                    continue;
                }
                var secret = await client.GetSecretAsync(secretName, version.Version, cancellationToken);
                keys.Add(LicenceSignatures.FromPem(secret.Value.Value, version.CreatedOn ?? DateTimeOffset.MinValue));
            }
            if (keys.Count == 0)
            {
                throw new InvalidOperationException(
                    $"The Key Vault secret '{secretName}' has no enabled version: put a P-256 private key in it as PKCS#8 PEM (see infra/README.md).");
            }
            _keys = keys.OrderByDescending(k => k.CreatedAt).ToList();
            _readAt = clock.GetUtcNow();
            return _keys;
        }
        finally
        {
            _gate.Release();
        }
    }
}
