using Ali.Serverless.Common;
using Ali.Serverless.Identity;
using Ali.Serverless.PersonalData;

namespace Ali.Serverless.Applications;

/// <summary>
/// 一号 (one identity across channels): an applicant whose token carries a verified identity number also
/// reads the applications a window clerk opened for that number. They are found through the keyed hash
/// of the number (never the number), and only read: the hall that opened them keeps acting on them
/// (decision 13). Without the claim nothing is linked.
/// </summary>
public sealed class LinkedApplications(IApplicationStore applications, ApplicantKeys applicantKeys)
{
    /// <summary>More window applications than this for one person is not a real case; the list stays bounded.</summary>
    public const int MaxLinked = 50;

    /// <summary>The window applications of the caller's verified identity number, newest first.</summary>
    public async Task<IReadOnlyList<Application>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        if (!caller.IsApplicant || caller.IdentityNumber is not { } number)
        {
            return [];
        }
        var key = await applicantKeys.ForAsync(ApplicantKind.NaturalPerson, number, cancellationToken);
        var found = await applications.ListByApplicantKeyAsync(key, MaxLinked, cancellationToken);
        return found
            // The hash found them; the decrypted number confirms them, so not even a collision links a stranger's case.
            .Where(a => IsOpenedAtWindow(a) && a.Applicant.Kind == ApplicantKind.NaturalPerson
                && ResidentIdNumber.Normalize(a.Applicant.DocumentNumber) == ResidentIdNumber.Normalize(number))
            .OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// An application the caller may read: their own (a clerk: the hall's), or a window application linked
    /// by their identity number. Null otherwise, exactly as for one that does not exist.
    /// </summary>
    public async Task<Stored<Application>?> FindReadableAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        if (!Ids.IsIssued(id))
        {
            return null;
        }
        var own = await applications.GetAsync(caller.OwnerId, id, cancellationToken);
        if (own is not null || !caller.IsApplicant || caller.IdentityNumber is null)
        {
            return own;
        }
        var linked = (await ListAsync(caller, cancellationToken)).FirstOrDefault(a => a.Id == id);
        return linked is null ? null : await applications.GetAsync(linked.OwnerId, linked.Id, cancellationToken);
    }

    /// <summary>
    /// The owner of an application the caller may read, checked as <see cref="FindReadableAsync"/> does but without
    /// reading the caller's own application: an existence check on their partition, so nothing is decrypted.
    /// Only the 一号 path (not the caller's own) reads and decrypts, since it must compare the identity number.
    /// </summary>
    public async Task<string?> FindReadableOwnerAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        if (!Ids.IsIssued(id))
        {
            return null;
        }
        if (await applications.ExistsAsync(caller.OwnerId, id, cancellationToken))
        {
            return caller.OwnerId;
        }
        if (!caller.IsApplicant || caller.IdentityNumber is null)
        {
            return null;
        }
        return (await ListAsync(caller, cancellationToken)).FirstOrDefault(a => a.Id == id)?.OwnerId;
    }

    private static bool IsOpenedAtWindow(Application a) => a.OwnerId.StartsWith("hall:", StringComparison.Ordinal);
}
