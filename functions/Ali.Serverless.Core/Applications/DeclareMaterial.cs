using Ali.Serverless.Audit;
using Ali.Serverless.Catalog;
using Ali.Serverless.Common;
using Ali.Serverless.Identity;
using Ali.Serverless.Materials;
using Ali.Serverless.Retention;

namespace Ali.Serverless.Applications;

/// <summary>Declaring materials and handing out where to upload them.</summary>
public sealed partial class ApplicationIntake
{
    /// <summary>Declares one material and hands out a write-only URL for that one blob.</summary>
    public async Task<Result<MaterialUploadView>> DeclareMaterialAsync(
        Caller caller, string applicationId, DeclareMaterialRequest request, CancellationToken cancellationToken)
    {
        var stored = await FindAsync(caller, applicationId, cancellationToken);
        if (stored is null)
        {
            return Result<MaterialUploadView>.Fail(Problem.NotFound($"Application '{applicationId}'"));
        }
        var application = stored.Value;
        // A missing code is a bad request (400, below), not a refusal of the state.
        if (!string.IsNullOrWhiteSpace(request.MaterialCode) || application.Status != ApplicationStatus.SupplementRequested)
        {
            if (MaterialChangeRefused(application, request.MaterialCode) is { } refused)
            {
                return Result<MaterialUploadView>.Fail(refused);
            }
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
        var fileName = TextRules.Required(errors, "fileName", request.FileName, TextKind.FileName, MaterialRules.MaxFileNameLength);
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
        if (request.ContentMd5 is not null && !MaterialRules.IsContentMd5(request.ContentMd5))
        {
            errors.Add("contentMd5", "contentMd5 is the MD5 digest of the file in base64, as the Content-MD5 header carries it: 24 characters.");
        }
        if (errors.Any || requirement is null || fileName is null)
        {
            return Result<MaterialUploadView>.Fail(errors.ToProblem());
        }
        if (PerApplicationLimitReached(application, requirement.Code, request.SizeBytes!.Value) is { } limited)
        {
            return Result<MaterialUploadView>.Fail(limited);
        }

        var now = clock.GetUtcNow();
        var materialId = NewId();
        var material = new Material
        {
            Id = materialId,
            Code = requirement.Code,
            FileName = fileName,
            ContentType = request.ContentType!.ToLowerInvariant(),
            SizeBytes = request.SizeBytes!.Value,
            Sha256 = request.Sha256!.ToLowerInvariant(),
            ContentMd5 = request.ContentMd5,
            BlobName = $"{application.Id}/{materialId}",
            DeclaredAt = now,
        };
        // Declaring a code again replaces the earlier file: that is how a wrong upload is corrected. The
        // replaced file's blobs are deleted through the outbox, recorded in this same write (retention).
        var replaced = application.Materials.Where(m => m.Code == material.Code).ToList();
        var updated = application with
        {
            Materials = [.. application.Materials.Where(m => m.Code != material.Code), material],
            DeclarationCount = application.DeclarationCount + 1,
            UpdatedAt = now,
            Outbox = [.. application.Outbox, .. RetentionRules.BlobDeletions(replaced, now)],
        };
        var saved = await applications.ReplaceAsync(
            WithAudit(updated, caller, AuditActions.MaterialDeclare, AuditActions.MaterialObject(materialId), now), stored.ETag, cancellationToken);
        if (saved is null)
        {
            return Result<MaterialUploadView>.Fail(Problem.ConcurrentChange($"Application '{applicationId}'"));
        }
        await DispatchAuditAsync(saved, cancellationToken);
        var target = await materials.CreateUploadTargetAsync(material.BlobName, material.ContentType, now + options.UploadTargetLifetime, cancellationToken);
        return new MaterialUploadView(MaterialView.From(material), WithDeclaredMd5(target, material));
    }

    /// <summary>
    /// The 422 naming the per-application limit a new declaration of <paramref name="code"/> would pass, or
    /// null. A re-declared code replaces its earlier file, so that file's size no longer counts.
    /// </summary>
    private Problem? PerApplicationLimitReached(Application application, string code, long sizeBytes)
    {
        var kept = application.Materials.Where(m => m.Code != code).ToList();
        if (kept.Count + 1 > options.MaxMaterialsPerApplication)
        {
            return LimitReached("materials-per-application", options.MaxMaterialsPerApplication,
                $"An application holds at most {options.MaxMaterialsPerApplication} materials.");
        }
        if (application.DeclarationCount + 1 > options.MaxDeclarationsPerApplication)
        {
            return LimitReached("declarations-per-application", options.MaxDeclarationsPerApplication,
                $"At most {options.MaxDeclarationsPerApplication} files can be declared for one application, replacements included. Open a new application.");
        }
        var total = kept.Sum(m => m.SizeBytes) + sizeBytes;
        if (total > options.MaxDeclaredBytesPerApplication)
        {
            return LimitReached("declared-bytes-per-application", options.MaxDeclaredBytesPerApplication,
                $"The materials of one application may total at most {options.MaxDeclaredBytesPerApplication} bytes; with this file they would total {total}.");
        }
        return null;
    }

    private static Problem LimitReached(string limit, long value, string detail) => Problem.Unprocessable(
        "application-limit-reached", "A limit of the application is reached.", detail,
        new Dictionary<string, string[]> { ["materials"] = [detail] },
        new Dictionary<string, object?> { ["limit"] = limit, ["limitValue"] = value });

    /// <summary>
    /// A fresh upload URL for a declared, unverified material: the same blob, so an upload of blocks
    /// interrupted on a weak link can go on after the first URL expired. Nothing is written.
    /// </summary>
    public async Task<Result<MaterialUploadView>> RenewUploadTargetAsync(
        Caller caller, string applicationId, string materialId, CancellationToken cancellationToken)
    {
        var stored = await FindAsync(caller, applicationId, cancellationToken);
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
        if (MaterialChangeRefused(application, material.Code) is { } refused)
        {
            return Result<MaterialUploadView>.Fail(refused);
        }
        if (material.IsVerified)
        {
            return Result<MaterialUploadView>.Fail(Problem.Conflict("material-verified", "Material already verified.",
                $"Material '{materialId}' is verified and its blob can no longer be written. Declare the material again to replace the file."));
        }
        var target = await materials.CreateUploadTargetAsync(material.BlobName, material.ContentType, clock.GetUtcNow() + options.UploadTargetLifetime, cancellationToken);
        return new MaterialUploadView(MaterialView.From(material), WithDeclaredMd5(target, material));
    }

    /// <summary>
    /// With an MD5 declared, the single PUT carries it as Content-MD5, so Blob Storage refuses bytes that are not
    /// the declared file before they are stored (decision 21). An upload in blocks sends each block's own MD5
    /// instead and this one as x-ms-blob-content-md5 on the block list.
    /// </summary>
    private static UploadTarget WithDeclaredMd5(UploadTarget target, Material material) =>
        material.ContentMd5 is null ? target
        : target with { Headers = new Dictionary<string, string>(target.Headers) { ["Content-MD5"] = material.ContentMd5 } };
}
