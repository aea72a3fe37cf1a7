using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Ali.Serverless.PersonalData;
using Azure;
using Azure.Core;
using Azure.Security.KeyVault.Secrets;

namespace Ali.Serverless.Adapters.Azure.KeyVault;

/// <summary>
/// The keys of personal data as Key Vault secrets, read with the app's managed identity (Key Vault
/// Secrets User). Each version of the KEK secret is a KEK version, its id the secret's version; the
/// latest enabled version is current. The index key is another secret. Both hold 32 random bytes in
/// base64. The Keys SDK (wrap/unwrap inside the vault) is not available here: the trade-off is in decision 13.
/// </summary>
public sealed class KeyVaultPersonalDataKeys(SecretClient client, string kekSecretName, string indexKeySecretName, TimeProvider clock)
    : IPersonalDataKeys, IKeyEncryptionKeyRotation
{
    /// <summary>How long the current version is trusted before asking the vault again: a rotation reaches every instance within it.</summary>
    public static readonly TimeSpan CurrentVersionLifetime = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, KeyEncryptionKey> _versions = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private (KeyEncryptionKey Key, DateTimeOffset ReadAt)? _current;
    private byte[]? _indexKey;

    public static KeyVaultPersonalDataKeys Create(Uri vaultUri, TokenCredential credential, string kekSecretName, string indexKeySecretName, TimeProvider clock, SecretClientOptions? options = null) =>
        new(new SecretClient(vaultUri, credential, options ?? new SecretClientOptions()), kekSecretName, indexKeySecretName, clock);

    public async Task<KeyEncryptionKey> GetCurrentAsync(CancellationToken cancellationToken)
    {
        if (_current is { } cached && clock.GetUtcNow() - cached.ReadAt < CurrentVersionLifetime)
        {
            return cached.Key;
        }
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } again && clock.GetUtcNow() - again.ReadAt < CurrentVersionLifetime)
            {
                return again.Key;
            }
            var secret = (await client.GetSecretAsync(kekSecretName, cancellationToken: cancellationToken)).Value;
            var key = Remember(secret);
            _current = (key, clock.GetUtcNow());
            return key;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public async Task<KeyEncryptionKey?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (_versions.TryGetValue(id, out var known))
        {
            return known;
        }
        if (!PersonalDataKeyRules.IsValidId(id))
        {
            return null;
        }
        try
        {
            return Remember((await client.GetSecretAsync(kekSecretName, id, cancellationToken)).Value);
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<byte[]> GetIndexKeyAsync(CancellationToken cancellationToken)
    {
        if (_indexKey is { } key)
        {
            return key;
        }
        var secret = (await client.GetSecretAsync(indexKeySecretName, cancellationToken: cancellationToken)).Value;
        return _indexKey = PersonalDataKeyRules.Parse(secret.Value, $"The Key Vault secret '{indexKeySecretName}'");
    }

    /// <summary>Sets a new version of the KEK secret (needs Key Vault Secrets Officer: an operator's right, not the app's).</summary>
    public async Task<string> AddVersionAsync(CancellationToken cancellationToken)
    {
        var secret = new KeyVaultSecret(kekSecretName, Convert.ToBase64String(RandomNumberGenerator.GetBytes(PersonalDataKeyRules.KeyBytes)));
        secret.Properties.ContentType = "application/octet-stream; base64";
        var created = (await client.SetSecretAsync(secret, cancellationToken)).Value;
        _current = null;
        return Remember(created).Id;
    }

    private KeyEncryptionKey Remember(KeyVaultSecret secret)
    {
        var id = secret.Properties.Version;
        if (!PersonalDataKeyRules.IsValidId(id))
        {
            throw new InvalidOperationException($"The Key Vault secret '{kekSecretName}' has a version id this app cannot use.");
        }
        return _versions.GetOrAdd(id, _ => new KeyEncryptionKey(id, PersonalDataKeyRules.Parse(secret.Value, $"The Key Vault secret '{kekSecretName}' (version {id})")));
    }
}
