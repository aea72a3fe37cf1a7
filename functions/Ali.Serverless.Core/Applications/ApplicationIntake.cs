using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Ali.Serverless.Catalog;
using Ali.Serverless.Common;
using Ali.Serverless.Identity;
using Ali.Serverless.Materials;
using Ali.Serverless.Pipeline;

namespace Ali.Serverless.Applications;

/// <summary>Limits on intake that operators may tune.</summary>
public sealed record IntakeOptions
{
    /// <summary>How long an upload URL stays valid. Short, because it is a bearer credential.</summary>
    public TimeSpan UploadTargetLifetime { get; init; } = TimeSpan.FromMinutes(15);

    public int MaxFields { get; init; } = 100;
    public int MaxFieldValueLength { get; init; } = 2000;
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
    TimeProvider clock,
    IntakeOptions options)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>
    /// Opens a draft. With an idempotency key the id is derived from (owner, key), so a retry finds the
    /// first application instead of creating a second one, without any extra record to keep in step.
    /// </summary>
    public async Task<Result<OpenedApplication>> OpenAsync(
        Caller caller, OpenApplicationRequest request, string? idempotencyKey, string requestFingerprint, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (caller.IsWindowClerk && string.IsNullOrWhiteSpace(caller.Department))
        {
            return Result<OpenedApplication>.Fail(Problem.Forbidden("A window clerk's token must name the clerk's hall or department."));
        }
        if (idempotencyKey is not null && (idempotencyKey.Length is 0 or > 100 || idempotencyKey.Any(char.IsControl)))
        {
            errors.Add("Idempotency-Key", "The Idempotency-Key header has 1 to 100 printable characters.");
        }

        ServiceItem? item = null;
        if (errors.Require("itemCode", request.ItemCode))
        {
            item = await catalog.GetAsync(request.ItemCode!, cancellationToken);
            if (item is null)
            {
                errors.Add("itemCode", $"There is no service item '{request.ItemCode}'.");
            }
        }

        var channel = ParseChannel(caller, request.Channel, item, errors);
        var applicant = ParseApplicant(request.Applicant, item, ChinaToday(), errors);
        var fields = ParseFields(request.Fields, errors);
        if (errors.Any || item is null || channel is null || applicant is null)
        {
            return Result<OpenedApplication>.Fail(errors.ToProblem());
        }

        var now = clock.GetUtcNow();
        var application = new Application
        {
            Id = idempotencyKey is null ? NewId() : IdFromKey(caller.OwnerId, idempotencyKey),
            OwnerId = caller.OwnerId,
            ItemCode = item.ItemCode,
            DepartmentCode = item.DepartmentCode,
            DivisionCode = item.DivisionCode,
            Channel = channel.Value,
            Applicant = applicant,
            OpenedBy = caller.Subject,
            OpenedByRole = caller.Role,
            Fields = fields,
            Status = ApplicationStatus.Draft,
            CreatedAt = now,
            UpdatedAt = now,
            IdempotencyKey = idempotencyKey,
            RequestFingerprint = idempotencyKey is null ? null : requestFingerprint,
        };

        var created = await applications.CreateAsync(application, cancellationToken);
        if (created is not null)
        {
            return new OpenedApplication(created.Value, Replayed: false);
        }

        // The id exists: this is a retry with the same key, or the key was reused for something else.
        var existing = await applications.GetAsync(caller.OwnerId, application.Id, cancellationToken);
        if (existing is null || existing.Value.RequestFingerprint != requestFingerprint)
        {
            return Result<OpenedApplication>.Fail(Problem.Unprocessable(
                "idempotency-key-reused",
                "Idempotency-Key already used for a different request.",
                "This Idempotency-Key was used before with a different body. Use a new key for a new application."));
        }
        return new OpenedApplication(existing.Value, Replayed: true);
    }

    public async Task<Result<Application>> GetAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        var stored = IsWellFormedId(id) ? await applications.GetAsync(caller.OwnerId, id, cancellationToken) : null;
        // Someone else's application answers exactly like a missing one: its existence is not disclosed.
        return stored is null ? Problem.NotFound($"Application '{id}'") : stored.Value;
    }

    public async Task<Result<Page<Application>>> ListAsync(Caller caller, int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var size = pageSize ?? DefaultPageSize;
        if (size is < 1 or > MaxPageSize)
        {
            return Result<Page<Application>>.Fail(Problem.InvalidField("pageSize", $"pageSize is between 1 and {MaxPageSize}."));
        }
        try
        {
            return await applications.ListByOwnerAsync(caller.OwnerId, size, continuationToken, cancellationToken);
        }
        catch (InvalidContinuationTokenException)
        {
            return Result<Page<Application>>.Fail(Problem.InvalidField("continuationToken", "The continuation token is not one this list issued."));
        }
    }

    /// <summary>Declares one material and hands out a write-only URL for that one blob.</summary>
    public async Task<Result<MaterialUploadView>> DeclareMaterialAsync(
        Caller caller, string applicationId, DeclareMaterialRequest request, CancellationToken cancellationToken)
    {
        var stored = IsWellFormedId(applicationId) ? await applications.GetAsync(caller.OwnerId, applicationId, cancellationToken) : null;
        if (stored is null)
        {
            return Result<MaterialUploadView>.Fail(Problem.NotFound($"Application '{applicationId}'"));
        }
        var application = stored.Value;
        if (application.Status != ApplicationStatus.Draft)
        {
            return Result<MaterialUploadView>.Fail(NotDraft(application));
        }
        var item = await catalog.GetAsync(application.ItemCode, cancellationToken);
        if (item is null)
        {
            return Result<MaterialUploadView>.Fail(Problem.Conflict("item-withdrawn", "Service item withdrawn.", $"The service item '{application.ItemCode}' is no longer in the catalog."));
        }

        var errors = new FieldErrors();
        MaterialRequirement? requirement = null;
        if (errors.Require("materialCode", request.MaterialCode))
        {
            requirement = item.FindMaterial(request.MaterialCode!);
            if (requirement is null)
            {
                errors.Add("materialCode", $"Item '{item.ItemCode}' asks for no material '{request.MaterialCode}'. It asks for: {string.Join(", ", item.Materials.Select(m => m.Code))}.");
            }
        }
        if (errors.Require("fileName", request.FileName) && MaterialRules.ValidateFileName(request.FileName!) is { } fileNameError)
        {
            errors.Add("fileName", fileNameError);
        }
        if (errors.Require("contentType", request.ContentType) && requirement is not null
            && !requirement.AcceptedContentTypes.Contains(request.ContentType!, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add("contentType", $"This material accepts {string.Join(", ", requirement.AcceptedContentTypes)}.");
        }
        if (request.SizeBytes is null)
        {
            errors.Add("sizeBytes", "This field is required.");
        }
        else if (request.SizeBytes <= 0)
        {
            errors.Add("sizeBytes", "A file has at least one byte.");
        }
        else if (requirement is not null && request.SizeBytes > requirement.MaxSizeBytes)
        {
            errors.Add("sizeBytes", $"This material may be at most {requirement.MaxSizeBytes} bytes.");
        }
        if (errors.Require("sha256", request.Sha256) && !MaterialRules.IsSha256Hex(request.Sha256!))
        {
            errors.Add("sha256", "sha256 is the SHA-256 digest of the file as 64 hexadecimal characters.");
        }
        if (errors.Any || requirement is null)
        {
            return Result<MaterialUploadView>.Fail(errors.ToProblem());
        }

        var now = clock.GetUtcNow();
        var materialId = NewId();
        var material = new Material
        {
            Id = materialId,
            Code = requirement.Code,
            FileName = request.FileName!,
            ContentType = request.ContentType!.ToLowerInvariant(),
            SizeBytes = request.SizeBytes!.Value,
            Sha256 = request.Sha256!.ToLowerInvariant(),
            BlobName = $"{application.Id}/{materialId}",
            DeclaredAt = now,
        };
        // Declaring a code again replaces the earlier file: that is how a wrong upload is corrected.
        var updated = application with
        {
            Materials = [.. application.Materials.Where(m => m.Code != material.Code), material],
            UpdatedAt = now,
        };
        if (await applications.ReplaceAsync(updated, stored.ETag, cancellationToken) is null)
        {
            return Result<MaterialUploadView>.Fail(Problem.ConcurrentChange($"Application '{applicationId}'"));
        }
        var target = await materials.CreateUploadTargetAsync(material.BlobName, material.ContentType, now + options.UploadTargetLifetime, cancellationToken);
        return new MaterialUploadView(MaterialView.From(material), target);
    }

    /// <summary>
    /// A fresh upload URL for a declared, unverified material: the same blob, so an upload of blocks
    /// interrupted on a weak link can go on after the first URL expired. Nothing is written.
    /// </summary>
    public async Task<Result<MaterialUploadView>> RenewUploadTargetAsync(
        Caller caller, string applicationId, string materialId, CancellationToken cancellationToken)
    {
        var stored = IsWellFormedId(applicationId) ? await applications.GetAsync(caller.OwnerId, applicationId, cancellationToken) : null;
        if (stored is null)
        {
            return Result<MaterialUploadView>.Fail(Problem.NotFound($"Application '{applicationId}'"));
        }
        var application = stored.Value;
        var material = application.Materials.FirstOrDefault(m => m.Id == materialId);
        if (material is null)
        {
            return Result<MaterialUploadView>.Fail(Problem.NotFound($"Material '{materialId}' of application '{applicationId}'"));
        }
        if (application.Status != ApplicationStatus.Draft)
        {
            return Result<MaterialUploadView>.Fail(NotDraft(application));
        }
        if (material.IsVerified)
        {
            return Result<MaterialUploadView>.Fail(Problem.Conflict("material-verified", "Material already verified.",
                $"Material '{materialId}' is verified and its blob can no longer be written. Declare the material again to replace the file."));
        }
        var target = await materials.CreateUploadTargetAsync(material.BlobName, material.ContentType, clock.GetUtcNow() + options.UploadTargetLifetime, cancellationToken);
        return new MaterialUploadView(MaterialView.From(material), target);
    }

    /// <summary>
    /// Verifies an uploaded material: the blob exists and its size, type, signature and SHA-256 match
    /// the declaration. On any mismatch nothing changes and the material stays unverified.
    /// </summary>
    public async Task<Result<Application>> CompleteMaterialAsync(
        Caller caller, string applicationId, string materialId, CancellationToken cancellationToken)
    {
        var stored = IsWellFormedId(applicationId) ? await applications.GetAsync(caller.OwnerId, applicationId, cancellationToken) : null;
        if (stored is null)
        {
            return Problem.NotFound($"Application '{applicationId}'");
        }
        var application = stored.Value;
        var material = application.Materials.FirstOrDefault(m => m.Id == materialId);
        if (material is null)
        {
            return Problem.NotFound($"Material '{materialId}' of application '{applicationId}'");
        }
        if (material.IsVerified)
        {
            return application;
        }
        if (application.Status != ApplicationStatus.Draft)
        {
            return NotDraft(application);
        }

        var blob = await materials.InspectAsync(material.BlobName, material.SizeBytes, cancellationToken);
        if (blob is null)
        {
            return Problem.Unprocessable("material-not-uploaded", "Material not uploaded.",
                $"Nothing has been uploaded for material '{materialId}'. PUT the file to the upload URL first.");
        }
        var mismatches = new FieldErrors();
        if (blob.SizeBytes != material.SizeBytes)
        {
            mismatches.Add("sizeBytes", $"The uploaded file has {blob.SizeBytes} bytes; {material.SizeBytes} were declared.");
        }
        if (!string.Equals(blob.ContentType, material.ContentType, StringComparison.OrdinalIgnoreCase))
        {
            mismatches.Add("contentType", $"The file was uploaded as '{blob.ContentType}'; '{material.ContentType}' was declared.");
        }
        if (!MaterialRules.HeadMatches(material.ContentType, blob.Head))
        {
            mismatches.Add("contentType", $"The file's content is not {material.ContentType}.");
        }
        // No hash is given only when the size already differs; a missing hash is never taken as a match.
        if (blob.SizeBytes == material.SizeBytes && !string.Equals(blob.Sha256, material.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            mismatches.Add("sha256", "The uploaded file's SHA-256 differs from the declared one: the file was changed or damaged in transit.");
        }
        if (mismatches.Any)
        {
            var p = mismatches.ToProblem();
            return p with { Kind = ProblemKind.Unprocessable, Type = "material-mismatch", Title = "The uploaded file does not match its declaration.", Detail = "Upload the declared file again, or declare the material again." };
        }

        var now = clock.GetUtcNow();
        var verified = material with { VerifiedAt = now };
        var updated = application with
        {
            Materials = application.Materials.Select(m => m.Id == materialId ? verified : m).ToList(),
            UpdatedAt = now,
        };
        var replaced = await applications.ReplaceAsync(updated, stored.ETag, cancellationToken);
        return replaced is null ? Problem.ConcurrentChange($"Application '{applicationId}'") : replaced.Value;
    }

    /// <summary>
    /// Submits a draft whose required materials are all verified. Everything missing is named in one
    /// answer (一次性告知). The submission message is sent after the state is saved; if that send is
    /// lost, the relay sends it later.
    /// </summary>
    public async Task<Result<Application>> SubmitAsync(Caller caller, string applicationId, CancellationToken cancellationToken)
    {
        var stored = IsWellFormedId(applicationId) ? await applications.GetAsync(caller.OwnerId, applicationId, cancellationToken) : null;
        if (stored is null)
        {
            return Problem.NotFound($"Application '{applicationId}'");
        }
        var application = stored.Value;
        if (application.Status != ApplicationStatus.Draft)
        {
            return NotDraft(application);
        }
        var item = await catalog.GetAsync(application.ItemCode, cancellationToken);
        if (item is null)
        {
            return Problem.Conflict("item-withdrawn", "Service item withdrawn.", $"The service item '{application.ItemCode}' is no longer in the catalog.");
        }

        var missing = MissingMaterials(item, application);
        if (missing.Count > 0)
        {
            return Problem.Unprocessable(
                "materials-missing",
                "Required materials are missing.",
                $"{missing.Count} required material(s) are missing or not yet verified: {string.Join("; ", missing.Select(m => $"{m.Name.Zh} ({m.Code}): {m.Reason}"))}.",
                missing.ToDictionary(m => $"materials.{m.Code}", m => new[] { m.Reason }),
                new Dictionary<string, object?> { ["missingMaterials"] = missing });
        }

        var now = clock.GetUtcNow();
        var submitted = application with
        {
            Status = ApplicationStatus.Submitted,
            CaseNumber = CaseNumbers.For(application, now),
            SubmittedAt = now,
            UpdatedAt = now,
        };
        var saved = await applications.ReplaceAsync(submitted, stored.ETag, cancellationToken);
        if (saved is null)
        {
            return Problem.ConcurrentChange($"Application '{applicationId}'");
        }
        return await dispatcher.DispatchAsync(saved, cancellationToken);
    }

    private static Problem NotDraft(Application application) => Problem.Conflict(
        "already-submitted",
        "Application already submitted.",
        $"Application '{application.Id}' was submitted as case {application.CaseNumber} and can no longer be changed.",
        new Dictionary<string, object?> { ["caseNumber"] = application.CaseNumber, ["status"] = application.Status.ToString().ToLowerInvariant() });

    private static List<MissingMaterial> MissingMaterials(ServiceItem item, Application application)
    {
        var missing = new List<MissingMaterial>();
        foreach (var requirement in item.Materials.Where(m => m.Required))
        {
            var material = application.Materials.FirstOrDefault(m => m.Code == requirement.Code);
            var reason = material is null ? "not declared"
                : !material.IsVerified ? "declared but not uploaded and verified"
                : null;
            if (reason is not null)
            {
                missing.Add(new MissingMaterial(requirement.Code, requirement.Name, reason));
            }
        }
        return missing;
    }

    private static Channel? ParseChannel(Caller caller, string? value, ServiceItem? item, FieldErrors errors)
    {
        if (!errors.Require("channel", value))
        {
            return null;
        }
        if (!ChannelNames.TryParse(value, out var channel))
        {
            errors.Add("channel", "channel is one of: web, mobile, window.");
            return null;
        }
        if (channel == Channel.Window && !caller.IsWindowClerk)
        {
            errors.Add("channel", "Only a window clerk opens applications through the window channel.");
            return null;
        }
        if (channel != Channel.Window && caller.IsWindowClerk)
        {
            errors.Add("channel", "A window clerk opens applications through the window channel.");
            return null;
        }
        if (item is not null && !item.Channels.Contains(channel))
        {
            errors.Add("channel", $"Item '{item.ItemCode}' is applied for through: {string.Join(", ", item.Channels.Select(ChannelNames.ToWire))}.");
            return null;
        }
        return channel;
    }

    private DateOnly ChinaToday() => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime);

    private static ApplicantIdentity? ParseApplicant(ApplicantRequest? request, ServiceItem? item, DateOnly today, FieldErrors errors)
    {
        if (request is null)
        {
            errors.Add("applicant", "This field is required.");
            return null;
        }
        ApplicantKind? kind = request.Kind switch
        {
            ApplicantKinds.NaturalPerson => ApplicantKind.NaturalPerson,
            ApplicantKinds.LegalPerson => ApplicantKind.LegalPerson,
            _ => null,
        };
        if (kind is null)
        {
            errors.Add("applicant.kind", "applicant.kind is 'natural-person' or 'legal-person'.");
        }
        else if (item is not null && !ItemAccepts(item, kind.Value))
        {
            errors.Add("applicant.kind", $"Item '{item.ItemCode}' does not accept applications from a {request.Kind}.");
        }

        string? document = null;
        if (errors.Require("applicant.documentNumber", request.DocumentNumber) && kind is not null)
        {
            var error = kind == ApplicantKind.NaturalPerson
                ? ResidentIdNumber.Validate(request.DocumentNumber!.Trim(), today)
                : UnifiedSocialCreditCode.Validate(request.DocumentNumber!.Trim());
            if (error is null)
            {
                document = kind == ApplicantKind.NaturalPerson
                    ? ResidentIdNumber.Normalize(request.DocumentNumber!)
                    : UnifiedSocialCreditCode.Normalize(request.DocumentNumber!);
            }
            else
            {
                errors.Add("applicant.documentNumber", error);
            }
        }
        if (errors.Require("applicant.name", request.Name) && request.Name!.Trim().Length > 100)
        {
            errors.Add("applicant.name", "A name has at most 100 characters.");
        }
        if (request.Phone is not null && !PhonePattern().IsMatch(request.Phone))
        {
            errors.Add("applicant.phone", "A phone number has 5 to 20 digits, optionally with +, -, spaces or parentheses.");
        }
        return kind is null || document is null || string.IsNullOrWhiteSpace(request.Name)
            ? null
            : new ApplicantIdentity(kind.Value, document, request.Name.Trim(), request.Phone);
    }

    /// <summary>GB/T 39046 服务对象: 1 is a natural person; every other code is a body with a credit code.</summary>
    private static bool ItemAccepts(ServiceItem item, ApplicantKind kind) =>
        kind == ApplicantKind.NaturalPerson ? item.ApplicantKinds.Contains("1") : item.ApplicantKinds.Any(k => k != "1");

    private Dictionary<string, string> ParseFields(Dictionary<string, string>? fields, FieldErrors errors)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (fields is null)
        {
            return result;
        }
        if (fields.Count > options.MaxFields)
        {
            errors.Add("fields", $"An application has at most {options.MaxFields} form fields.");
            return result;
        }
        foreach (var (name, value) in fields)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Length > 64)
            {
                errors.Add("fields", "A form field name has 1 to 64 characters.");
            }
            else if (value is null)
            {
                errors.Add($"fields.{name}", "A form field value is text.");
            }
            else if (value.Length > options.MaxFieldValueLength)
            {
                errors.Add($"fields.{name}", $"A form field value has at most {options.MaxFieldValueLength} characters.");
            }
            else
            {
                result[name] = value;
            }
        }
        return result;
    }

    /// <summary>Ids this service issues are 32 lower-case hex characters; anything else cannot exist.</summary>
    private static bool IsWellFormedId(string id) => id.Length == 32 && id.All(char.IsAsciiHexDigitLower);

    private static string NewId() => Guid.CreateVersion7().ToString("N");

    private static string IdFromKey(string ownerId, string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{ownerId}\n{key}"));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    [GeneratedRegex(@"^[0-9+\-() ]{5,20}$")]
    private static partial Regex PhonePattern();
}

/// <summary>The application that was opened, and whether this answer replays an earlier identical request.</summary>
public sealed record OpenedApplication(Application Application, bool Replayed);

/// <summary>One required material the applicant still has to provide.</summary>
public sealed record MissingMaterial(string Code, LocalizedText Name, string Reason);
