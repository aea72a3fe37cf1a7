using System.Security.Cryptography;
using Ali.Serverless.Common;
using Ali.Serverless.Identity;

namespace Ali.Serverless.Applications;

/// <summary>Giving one of the applicant's own licences as a material instead of uploading a file (减材料, material grade A).</summary>
public sealed partial class ApplicationIntake
{
    /// <summary>What a licence material's content type says: the signed licence, as JSON.</summary>
    public const string LicenceContentType = "application/json";

    /// <summary>
    /// Records a licence as the material <c>materialCode</c>: the material names a licence type, the licence
    /// is the caller's own, of that type, authentic, not revoked and not expired (each refusal a 422 naming
    /// it). It counts as verified at once; the reviewer sees the licence in the case.
    /// </summary>
    public async Task<Result<MaterialView>> GiveLicenceAsync(Caller caller, string applicationId, DeclareMaterialRequest request, CancellationToken cancellationToken)
    {
        var stored = await FindAsync(caller, applicationId, cancellationToken);
        if (stored is null)
        {
            return Problem.NotFound($"Application '{applicationId}'");
        }
        var application = stored.Value;
        if (MaterialChangeRefused(application, request.MaterialCode) is { } refused)
        {
            return refused;
        }
        var item = await catalog.GetAsync(application.ItemCode, cancellationToken);
        if (item is null)
        {
            return Problem.Conflict("item-withdrawn", "Service item withdrawn.", $"The service item '{application.ItemCode}' is no longer in the catalog.");
        }
        var errors = new FieldErrors();
        var requirement = errors.Require("materialCode", request.MaterialCode) ? item.FindMaterial(request.MaterialCode!) : null;
        if (requirement is null && !string.IsNullOrWhiteSpace(request.MaterialCode))
        {
            errors.Add("materialCode", $"Item '{item.ItemCode}' asks for no material '{request.MaterialCode}'. It asks for: {string.Join(", ", item.Materials.Select(m => m.Code))}.");
        }
        foreach (var (field, given) in new[] { ("fileName", request.FileName is not null), ("contentType", request.ContentType is not null), ("sizeBytes", request.SizeBytes is not null), ("sha256", request.Sha256 is not null), ("contentMd5", request.ContentMd5 is not null) })
        {
            if (given)
            {
                errors.Add(field, "A material is either one of your licences (licenceId) or a file (fileName, contentType, sizeBytes, sha256, contentMd5), not both.");
            }
        }
        errors.Require("licenceId", request.LicenceId);
        if (errors.Any || requirement is null)
        {
            return errors.ToProblem();
        }
        var usable = await licences.UsableAsMaterialAsync(caller, request.LicenceId!, requirement, cancellationToken);
        if (!usable.IsSuccess)
        {
            return usable.Problem!;
        }
        var licence = usable.Value!;
        // A licence has no bytes here, so it adds nothing to the declared size; it counts as a material and a declaration.
        if (PerApplicationLimitReached(application, requirement.Code, 0) is { } limited)
        {
            return limited;
        }
        var now = clock.GetUtcNow();
        var canonical = licence.Content.CanonicalBytes();
        var material = new Material
        {
            Id = NewId(),
            Code = requirement.Code,
            FileName = $"{licence.Content.TypeName} {licence.Content.Number}",
            ContentType = LicenceContentType,
            SizeBytes = canonical.Length,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(canonical)),
            // No blob: nothing is uploaded, and no upload URL is ever made for this name.
            BlobName = $"licence:{licence.Id}",
            DeclaredAt = now,
            VerifiedAt = now,
            Licence = new LicenceReference(licence.Id, licence.Content.TypeCode, licence.Content.TypeName, licence.Content.Number,
                licence.Content.IssuerDepartmentName, licence.Content.ValidUntil, licence.Content.Digest(), now),
        };
        // A file given before for the same code is replaced; its blobs go through the outbox, as on a re-declaration.
        var replaced = application.Materials.Where(m => m.Code == material.Code && m.Licence is null).ToList();
        var updated = application with
        {
            Materials = [.. application.Materials.Where(m => m.Code != material.Code), material],
            DeclarationCount = application.DeclarationCount + 1,
            UpdatedAt = now,
            Outbox = [.. application.Outbox, .. Retention.RetentionRules.BlobDeletions(replaced, now)],
        };
        var saved = await applications.ReplaceAsync(
            WithAudit(updated, caller, Audit.AuditActions.MaterialDeclare, Audit.AuditActions.MaterialObject(material.Id), now), stored.ETag, cancellationToken);
        if (saved is null)
        {
            return Problem.ConcurrentChange($"Application '{applicationId}'");
        }
        await DispatchAuditAsync(saved, cancellationToken);
        return MaterialView.From(material);
    }
}
