using System.Text.Json.Serialization;
using Ali.Serverless.Cases;
using Ali.Serverless.Catalog;

namespace Ali.Serverless.Applications;

/// <summary>
/// Where an application (申请) is in its life as a case (办件). The wire names (kebab-case) are the
/// contract with front ends; <see cref="CaseTransitions"/> says which moves are allowed.
/// </summary>
public enum ApplicationStatus
{
    /// <summary>Opened, materials being uploaded; nothing has been handed to anyone yet.</summary>
    [JsonStringEnumMemberName("draft")]
    Draft,
    /// <summary>Submitted with every required material verified; has a case number (办件编号). The pre-check runs next.</summary>
    [JsonStringEnumMemberName("submitted")]
    Submitted,
    /// <summary>Pre-check passed; the item's department has an acceptance task (受理).</summary>
    [JsonStringEnumMemberName("pending-acceptance")]
    PendingAcceptance,
    /// <summary>补齐补正: the applicant was told at once everything to supplement; resubmits when done.</summary>
    [JsonStringEnumMemberName("supplement-requested")]
    SupplementRequested,
    /// <summary>不予受理: refused at acceptance. Terminal.</summary>
    [JsonStringEnumMemberName("not-accepted")]
    NotAccepted,
    /// <summary>Accepted (受理); departments review in parallel (并联审批), then the item's department decides.</summary>
    [JsonStringEnumMemberName("under-review")]
    UnderReview,
    /// <summary>特别程序: a hearing, inspection, test... is running; the clock is paused (行政许可法 §45).</summary>
    [JsonStringEnumMemberName("suspended")]
    Suspended,
    /// <summary>办结, with a decision approved or rejected. Terminal.</summary>
    [JsonStringEnumMemberName("completed")]
    Completed,
    /// <summary>Withdrawn by the applicant (or the hall) before completion. Terminal.</summary>
    [JsonStringEnumMemberName("withdrawn")]
    Withdrawn,
}

public static class ApplicationStatusNames
{
    /// <summary>The wire name of a status, as the JSON carries it.</summary>
    public static string ToWire(this ApplicationStatus status) => status switch
    {
        ApplicationStatus.Draft => "draft",
        ApplicationStatus.Submitted => "submitted",
        ApplicationStatus.PendingAcceptance => "pending-acceptance",
        ApplicationStatus.SupplementRequested => "supplement-requested",
        ApplicationStatus.NotAccepted => "not-accepted",
        ApplicationStatus.UnderReview => "under-review",
        ApplicationStatus.Suspended => "suspended",
        ApplicationStatus.Completed => "completed",
        ApplicationStatus.Withdrawn => "withdrawn",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    /// <summary>The status a wire name stands for, or null for a name that is none.</summary>
    public static ApplicationStatus? FromWire(string? wire) =>
        Enum.GetValues<ApplicationStatus>().Cast<ApplicationStatus?>().FirstOrDefault(s => s!.Value.ToWire() == wire);
}

/// <summary>Who applies: a natural person (自然人) or a legal person/organisation (法人).</summary>
public enum ApplicantKind
{
    NaturalPerson,
    LegalPerson,
}

/// <summary>
/// The applicant as the application records them. The document is a resident ID number for a
/// natural person and a unified social credit code for a legal person.
/// </summary>
public sealed record ApplicantIdentity(ApplicantKind Kind, string DocumentNumber, string Name, string? Phone);

/// <summary>A material declared for upload, and whether the uploaded file has been verified.</summary>
public sealed record Material
{
    public required string Id { get; init; }
    public required string Code { get; init; }
    public required string FileName { get; init; }
    public required string ContentType { get; init; }
    public required long SizeBytes { get; init; }

    /// <summary>
    /// Lower-case hex SHA-256 the uploader declared. Kept as the applicant's word: the function no longer reads
    /// the file to hash it (decision 21); integrity rests on <see cref="ContentMd5"/> and the sealed copy.
    /// </summary>
    public required string Sha256 { get; init; }

    /// <summary>The MD5 the uploader declared (base64, as the Content-MD5 header carries it), if any.</summary>
    public string? ContentMd5 { get; init; }

    /// <summary>Name of the blob the material is uploaded to. Never derived from the file name.</summary>
    public required string BlobName { get; init; }

    public required DateTimeOffset DeclaredAt { get; init; }

    /// <summary>Set when the uploaded blob was checked against the declaration and the item's rules.</summary>
    public DateTimeOffset? VerifiedAt { get; init; }

    /// <summary>
    /// The sealed copy made at verification, which no upload URL can write: the bytes that were verified,
    /// and the only ones staff read.
    /// </summary>
    public string? VerifiedBlobName { get; init; }

    /// <summary>The MD5 Blob Storage holds for the sealed copy (base64), when it holds one.</summary>
    public string? VerifiedContentMd5 { get; init; }

    /// <summary>The sealed copy's ETag when it was made: which bytes were verified.</summary>
    public string? VerifiedETag { get; init; }

    /// <summary>Where a material's verified bytes are sealed: outside every upload URL's reach.</summary>
    public static string SealedNameFor(string blobName) => $"verified/{blobName}";

    public bool IsVerified => VerifiedAt is not null;

    /// <summary>
    /// Set when the material is one of the applicant's own licences instead of an uploaded file (减材料):
    /// there is no blob; the reference was checked (authentic, right type, valid) when it was given.
    /// </summary>
    public LicenceReference? Licence { get; init; }
}

/// <summary>A licence given as a material: which one, what it is, and the digest of its signed content when it was checked.</summary>
public sealed record LicenceReference(
    string LicenceId, string TypeCode, string TypeName, string Number, string IssuerDepartmentName, DateOnly? ValidUntil, string Digest, DateTimeOffset VerifiedAt);

/// <summary>
/// An application for one service item. The aggregate is stored as one document so that every
/// change is a single conditional write.
/// </summary>
public sealed record Application
{
    public required string Id { get; init; }

    /// <summary>Partition of the store: the applicant's account, or the hall whose clerk opened it.</summary>
    public required string OwnerId { get; init; }

    public required string ItemCode { get; init; }
    public required string DepartmentCode { get; init; }
    public required string DivisionCode { get; init; }
    public required Channel Channel { get; init; }
    public required ApplicantIdentity Applicant { get; init; }

    /// <summary>Subject of the account that opened the application (the applicant or the clerk).</summary>
    public required string OpenedBy { get; init; }

    public required string OpenedByRole { get; init; }
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();
    public required ApplicationStatus Status { get; init; }
    public IReadOnlyList<Material> Materials { get; init; } = [];
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>办件编号, given at submission.</summary>
    public string? CaseNumber { get; init; }

    public DateTimeOffset? SubmittedAt { get; init; }

    /// <summary>When the submission message reached the review queue; null means still to be sent (outbox).</summary>
    public DateTimeOffset? SubmissionQueuedAt { get; init; }

    /// <summary>
    /// The W3C traceparent of the submitting request: every later step of the case is traced under it
    /// (decision 20). Null for a draft, for a case submitted untraced, and for cases submitted before it existed.
    /// </summary>
    public string? TraceParent { get; init; }

    /// <summary>When the review pipeline recorded receipt of the submission.</summary>
    public DateTimeOffset? ReviewReceivedAt { get; init; }

    /// <summary>
    /// The language the applicant's own requests asked for (Accept-Language), latest first: how to tell
    /// them about the case when they set no preference.
    /// </summary>
    public string? Language { get; init; }

    /// <summary>How many files were declared over the application's life, replacements included (a limit).</summary>
    public int DeclarationCount { get; init; }

    /// <summary>
    /// Set by the retention sweep when a draft expired (untouched too long): from then on it is gone for
    /// everyone, while its blobs and then the document are deleted (a crash in between is finished by the next sweep).
    /// </summary>
    public DateTimeOffset? ExpiredAt { get; init; }

    /// <summary>
    /// Keyed hash (HMAC-SHA256) of the applicant's kind and identity number: what lookups by identity
    /// number (一号 linking) search, since the number itself is stored only encrypted (decision 13).
    /// </summary>
    public string? ApplicantKey { get; init; }

    /// <summary>
    /// Only in the stored form: the document's data key, wrapped by a key-encryption key version
    /// (<c>dk1.{kekId}.{dekId}...</c>). Null in memory and in documents written before encryption.
    /// </summary>
    public string? DataKey { get; init; }

    /// <summary>The Idempotency-Key the application was opened with, if any.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Fingerprint of the request that opened it, to tell a retry from a reused key.</summary>
    public string? RequestFingerprint { get; init; }

    // The case (办件): everything below is written by the workflow, each change in the same single
    // conditional write as the status, so the case document is the one source of truth.

    /// <summary>Every task of the case, open or not; the tasks container holds a copy per department for worklists.</summary>
    public IReadOnlyList<CaseTask> Tasks { get; init; } = [];

    /// <summary>办理环节: every step, in order.</summary>
    public IReadOnlyList<TimelineStep> Timeline { get; init; } = [];

    /// <summary>受理时间: when the acceptance task was answered with accept.</summary>
    public DateTimeOffset? AcceptedAt { get; init; }

    /// <summary>承诺办结时限 as an instant (24:00 CST of the last working day).</summary>
    public DateTimeOffset? PromisedDueAt { get; init; }

    /// <summary>法定办结时限 as an instant.</summary>
    public DateTimeOffset? LegalDueAt { get; init; }

    /// <summary>补齐补正: what the applicant must supplement, while one is requested.</summary>
    public SupplementRequest? Supplement { get; init; }

    /// <summary>The decision (决定), once made.</summary>
    public CaseDecision? Decision { get; init; }

    /// <summary>特别程序: extensions and pausing procedures, open or ended.</summary>
    public IReadOnlyList<SpecialProcedure> SpecialProcedures { get; init; } = [];

    /// <summary>The licence an approval issued (its id is fixed in the decision's write; the licence follows through the outbox).</summary>
    public string? LicenceId { get; init; }

    /// <summary>The applicant's review (好差评), given once after the case ended, with its rectification and appeal.</summary>
    public Evaluations.Evaluation? Evaluation { get; init; }

    /// <summary>Why and when it was withdrawn.</summary>
    public Withdrawal? Withdrawal { get; init; }

    /// <summary>
    /// What the last writes still have to do outside this document (copy tasks, publish them, queue
    /// events and warnings). Written in the same write as the change that caused it, done afterwards,
    /// then removed; a crash in between leaves it here for the relay.
    /// </summary>
    public IReadOnlyList<OutboxEntry> Outbox { get; init; } = [];
}
