using Ali.Serverless.Catalog;

namespace Ali.Serverless.Applications;

/// <summary>Where an application (申请) is in its life. Later stages (受理, 审查, 决定, 办结) are added by the review pipeline.</summary>
public enum ApplicationStatus
{
    /// <summary>Opened, materials being uploaded; nothing has been handed to anyone yet.</summary>
    Draft,
    /// <summary>Submitted with every required material verified; has a case number (办件编号).</summary>
    Submitted,
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

    /// <summary>Lower-case hex SHA-256 the uploader declared; the stored blob must hash to it.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Name of the blob the material is uploaded to. Never derived from the file name.</summary>
    public required string BlobName { get; init; }

    public required DateTimeOffset DeclaredAt { get; init; }

    /// <summary>Set when the uploaded blob was checked against the declaration and the item's rules.</summary>
    public DateTimeOffset? VerifiedAt { get; init; }

    public bool IsVerified => VerifiedAt is not null;
}

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

    /// <summary>When the review pipeline recorded receipt of the submission.</summary>
    public DateTimeOffset? ReviewReceivedAt { get; init; }

    /// <summary>The Idempotency-Key the application was opened with, if any.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Fingerprint of the request that opened it, to tell a retry from a reused key.</summary>
    public string? RequestFingerprint { get; init; }
}
