using System.Security.Cryptography;
using System.Text;
using Ali.Serverless.Audit;
using Ali.Serverless.Cases;
using Ali.Serverless.Catalog;
using Ali.Serverless.Common;
using Ali.Serverless.Identity;
using Ali.Serverless.Materials;
using Ali.Serverless.PersonalData;
using Ali.Serverless.Pipeline;

namespace Ali.Serverless.Applications;

/// <summary>Limits on intake that operators may tune.</summary>
public sealed record IntakeOptions
{
    /// <summary>How long an upload URL stays valid. Short, because it is a bearer credential.</summary>
    public TimeSpan UploadTargetLifetime { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a link to read a material stays valid: long enough to start a download, no longer.</summary>
    public TimeSpan ReadLinkLifetime { get; init; } = TimeSpan.FromMinutes(5);

    public int MaxFields { get; init; } = 100;
    public int MaxFieldValueLength { get; init; } = 2000;

    /// <summary>
    /// Materials one application holds at once. The largest catalog item asks for 5; the limit only stops
    /// abuse, never a real application.
    /// </summary>
    public int MaxMaterialsPerApplication { get; init; } = 20;

    /// <summary>
    /// Files declared over the application's life, replacements included: each declaration hands out an
    /// upload URL and a blob, so re-declaring in a loop is bounded (about ten tries per material of the largest item).
    /// </summary>
    public int MaxDeclarationsPerApplication { get; init; } = 50;

    /// <summary>
    /// Declared bytes of the materials an application holds at once. The catalog's largest item allows
    /// 55 MiB in all (5 materials of at most 20 MiB); 100 MiB leaves room without letting one draft hoard storage.
    /// </summary>
    public long MaxDeclaredBytesPerApplication { get; init; } = 100L * 1024 * 1024;
}

/// <summary>
/// Opening an application, declaring and verifying its materials, and submitting it
/// (网上申请 / 窗口收件). Each change is one conditional write of the application document.
/// </summary>
public sealed partial class ApplicationIntake(
    ICatalogStore catalog,
    IApplicationStore applications,
    IMaterialStorage materials,
    SubmissionDispatcher dispatcher,
    CaseOutbox outbox,
    TimeProvider clock,
    IntakeOptions options,
    ApplicantKeys applicantKeys,
    LinkedApplications linked,
    Licences.LicenceService licences)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    private static Problem NotDraft(Application application) => Problem.Conflict(
        "already-submitted",
        "Application already submitted.",
        $"Application '{application.Id}' was submitted as case {application.CaseNumber} and can no longer be changed.",
        new Dictionary<string, object?> { ["caseNumber"] = application.CaseNumber, ["applicationStatus"] = application.Status.ToWire() });

    /// <summary>
    /// Materials change while the application is a draft, and, after a supplement request (补齐补正), only
    /// the materials the request names. Null when allowed; otherwise the 409 to answer.
    /// </summary>
    private static Problem? MaterialChangeRefused(Application application, string? materialCode)
    {
        if (application.Status == ApplicationStatus.Draft)
        {
            return null;
        }
        if (application.Status != ApplicationStatus.SupplementRequested || application.Supplement is null)
        {
            return NotDraft(application);
        }
        var requested = application.Supplement.Materials.Select(m => m.Code).ToList();
        return materialCode is not null && requested.Contains(materialCode)
            ? null
            : Problem.Conflict("material-not-requested", "Material not named in the supplement request.",
                $"Only the materials named in the supplement request can be provided now: {string.Join(", ", requested)}.",
                new Dictionary<string, object?> { ["requestedMaterials"] = requested, ["applicationStatus"] = application.Status.ToWire() });
    }

    private DateOnly ChinaToday() => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime);

    /// <summary>
    /// The caller's application with that id, by a point read in the caller's own partition; null when
    /// it does not exist there. Ids this service issues are 32 lower-case hex characters, so anything
    /// else is not looked up at all.
    /// </summary>
    private async Task<Stored<Application>?> FindAsync(Caller caller, string id, CancellationToken cancellationToken) =>
        Ids.IsIssued(id) && await applications.GetAsync(caller.OwnerId, id, cancellationToken) is { Value.ExpiredAt: null } stored
            ? stored
            : null;

    /// <summary>
    /// The change with its audit record in its outbox, so the record is written with the change or not at
    /// all, as workflow steps are (decision 11). Before submission there is no case number: the record goes
    /// to the actor's day chain, with the application or material as its object (decision 14).
    /// </summary>
    private static Application WithAudit(Application changed, Caller caller, string action, string target, DateTimeOffset now)
    {
        var id = NewId();
        var entry = AuditEntry.By(caller, changed.CaseNumber, action, target, AuditActions.Success, now) with { Id = id };
        return changed with { Outbox = [.. changed.Outbox, new OutboxEntry(id, OutboxKind.Audit, now) { Audit = entry }] };
    }

    /// <summary>Writes the saved change's audit record now; if that fails, the outbox relay writes it within minutes.</summary>
    private async Task<Stored<Application>> DispatchAuditAsync(Stored<Application> saved, CancellationToken cancellationToken)
    {
        try
        {
            // The stored document with its new ETag, so a writer that goes on (submission) does not replace a stale one.
            return await outbox.DispatchStoredAsync(saved, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return saved;
        }
    }

    private static string NewId() => Guid.CreateVersion7().ToString("N");

    private static string IdFromKey(string ownerId, string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{ownerId}\n{key}"));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }
}
