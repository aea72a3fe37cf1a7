using System.Security.Cryptography;
using Ali.Serverless.Applications;
using Ali.Serverless.Licences;

namespace Ali.Serverless.Core.Tests.Support;

/// <summary>Licences by id with unique numbers, as the real stores keep them.</summary>
internal sealed class InMemoryLicenceStore : ILicenceStore
{
    private readonly Dictionary<string, Stored<Licence>> _licences = [];
    private int _version;

    public int CreateCalls { get; private set; }

    public IReadOnlyList<Licence> All => _licences.Values.Select(s => s.Value).ToList();

    /// <summary>Writes a licence as it is, bypassing every rule: for tests that play the attacker or an earlier writer.</summary>
    public void Put(Licence licence) => _licences[licence.Id] = new Stored<Licence>(licence, $"v{++_version}");

    public Task<LicenceCreateResult> CreateAsync(Licence licence, CancellationToken cancellationToken)
    {
        CreateCalls++;
        if (_licences.TryGetValue(licence.Id, out var existing))
        {
            return Task.FromResult(new LicenceCreateResult(LicenceCreateOutcome.AlreadyIssued, existing));
        }
        if (_licences.Values.Any(s => s.Value.Content.Number == licence.Content.Number))
        {
            return Task.FromResult(new LicenceCreateResult(LicenceCreateOutcome.NumberTaken));
        }
        Put(licence);
        return Task.FromResult(new LicenceCreateResult(LicenceCreateOutcome.Created));
    }

    public Task<Stored<Licence>?> GetAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(_licences.GetValueOrDefault(id));

    public Task<Stored<Licence>?> ReplaceAsync(Licence licence, string etag, CancellationToken cancellationToken)
    {
        if (!_licences.TryGetValue(licence.Id, out var current) || current.ETag != etag)
        {
            return Task.FromResult<Stored<Licence>?>(null);
        }
        Put(licence);
        return Task.FromResult(_licences.GetValueOrDefault(licence.Id));
    }

    public Task<IReadOnlyList<Licence>> ListByHolderAsync(string holderAccountId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Licence>>(_licences.Values.Select(s => s.Value).Where(l => l.HolderAccountId == holderAccountId)
            .OrderByDescending(l => l.IssuedAt).ToList());
}

/// <summary>A key ring in memory: starts with one key; <see cref="Rotate"/> adds a newer one.</summary>
internal sealed class TestKeyRing : ILicenceKeyRing
{
    private readonly List<LicenceKey> _keys = [];

    public TestKeyRing(DateTimeOffset first) => Rotate(first);

    public LicenceKey Newest => _keys.OrderByDescending(k => k.CreatedAt).First();

    public LicenceKey Rotate(DateTimeOffset createdAt)
    {
        var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var key = new LicenceKey(LicenceSignatures.KeyIdOf(ecdsa), ecdsa, createdAt);
        _keys.Add(key);
        return key;
    }

    /// <summary>Forgets a key, as an operator would disable a compromised one.</summary>
    public void Remove(string keyId) => _keys.RemoveAll(k => k.KeyId == keyId);

    public Task<IReadOnlyList<LicenceKey>> GetKeysAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LicenceKey>>(_keys.OrderByDescending(k => k.CreatedAt).ToList());
}
