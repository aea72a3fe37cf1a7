using System.Security.Cryptography;
using Ali.Serverless.PersonalData;

namespace Ali.Serverless.Core.Tests.Support;

/// <summary>KEK versions and an index key in memory, as Key Vault or the key files would give them.</summary>
internal sealed class TestPersonalDataKeys : IPersonalDataKeys, IKeyEncryptionKeyRotation
{
    private readonly List<KeyEncryptionKey> _versions = [];
    private readonly byte[] _indexKey = RandomNumberGenerator.GetBytes(32);

    public TestPersonalDataKeys() => AddVersionAsync(CancellationToken.None).GetAwaiter().GetResult();

    public IReadOnlyList<KeyEncryptionKey> Versions => _versions;

    public Task<KeyEncryptionKey> GetCurrentAsync(CancellationToken cancellationToken) => Task.FromResult(_versions[^1]);

    public Task<KeyEncryptionKey?> GetAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(_versions.FirstOrDefault(k => k.Id == id));

    public Task<byte[]> GetIndexKeyAsync(CancellationToken cancellationToken) => Task.FromResult(_indexKey);

    public Task<string> AddVersionAsync(CancellationToken cancellationToken)
    {
        var id = $"test-{_versions.Count + 1}";
        _versions.Add(new KeyEncryptionKey(id, RandomNumberGenerator.GetBytes(32)));
        return Task.FromResult(id);
    }

    /// <summary>A KEK version is lost (deleted from the vault): what it wrapped can no longer be read.</summary>
    public void Forget(string id) => _versions.RemoveAll(k => k.Id == id);
}
