namespace Ali.Serverless.Applications;

// Requests arrive with every field nullable so that a missing field is named in the answer
// instead of failing deserialization as a whole.

/// <summary>POST /api/applications.</summary>
public sealed record OpenApplicationRequest(
    string? ItemCode,
    string? Channel,
    ApplicantRequest? Applicant,
    Dictionary<string, string>? Fields);

/// <summary>The applicant: kind is "natural-person" or "legal-person".</summary>
public sealed record ApplicantRequest(string? Kind, string? DocumentNumber, string? Name, string? Phone);

/// <summary>
/// POST /api/applications/{id}/materials: a file to upload, or (减材料) <see cref="LicenceId"/> of one of the applicant's licences.
/// <see cref="ContentMd5"/> (optional) is the file's MD5 in base64, which Blob Storage checks the upload against.
/// </summary>
public sealed record DeclareMaterialRequest(
    string? MaterialCode,
    string? FileName,
    string? ContentType,
    long? SizeBytes,
    string? Sha256,
    string? LicenceId = null,
    string? ContentMd5 = null);
