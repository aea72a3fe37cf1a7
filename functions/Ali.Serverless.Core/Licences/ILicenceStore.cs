using Ali.Serverless.Applications;

namespace Ali.Serverless.Licences;

public enum LicenceCreateOutcome
{
    /// <summary>Stored now.</summary>
    Created,
    /// <summary>A licence with this id was stored before (an outbox effect run twice): <see cref="LicenceCreateResult.Existing"/> is it.</summary>
    AlreadyIssued,
    /// <summary>Another licence holds this number: pick the next candidate.</summary>
    NumberTaken,
}

public sealed record LicenceCreateResult(LicenceCreateOutcome Outcome, Stored<Licence>? Existing = null);

/// <summary>
/// Where licences are kept. Ids and numbers are each unique, enforced by the store, so issuing the
/// same licence twice stores it once, and two licences never share a number.
/// </summary>
public interface ILicenceStore
{
    Task<LicenceCreateResult> CreateAsync(Licence licence, CancellationToken cancellationToken);

    Task<Stored<Licence>?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Replaces the licence if it still has <paramref name="etag"/> (revocation); null when someone else changed it.</summary>
    Task<Stored<Licence>?> ReplaceAsync(Licence licence, string etag, CancellationToken cancellationToken);

    /// <summary>The licences listed under one applicant's account, newest first.</summary>
    Task<IReadOnlyList<Licence>> ListByHolderAsync(string holderAccountId, CancellationToken cancellationToken);
}
