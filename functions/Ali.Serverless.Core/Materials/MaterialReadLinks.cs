using Ali.Serverless.Applications;
using Ali.Serverless.Audit;
using Ali.Serverless.Cases;
using Ali.Serverless.Common;
using Ali.Serverless.Identity;

namespace Ali.Serverless.Materials;

/// <summary>What a caller gets to read a material: the link, how long it lasts, and what it will read.</summary>
public sealed record MaterialReadLinkView(
    string MaterialId, string MaterialCode, string FileName, string ContentType, long SizeBytes, string Sha256,
    Uri Url, string Method, DateTimeOffset ExpiresAt)
{
    /// <summary>The MD5 Blob Storage holds for the sealed copy (base64), when it holds one (decision 21).</summary>
    public string? ContentMd5 { get; init; }
}

/// <summary>
/// The only way to a material's bytes: a short read-only link to its sealed copy, issued after the
/// object-level check. The applicant (a clerk: the hall) reads their own application's materials;
/// reviewers and department systems read the materials of a case their department has a task on.
/// Every issue and every refusal is audited, on the case's chain when there is a case.
/// </summary>
public sealed class MaterialReadLinks(
    IApplicationStore applications,
    ICaseIndex caseIndex,
    IMaterialStorage materials,
    IAuditLog audit,
    TimeProvider clock,
    IntakeOptions options)
{
    /// <summary>A material of the caller's own application (a clerk: the hall's); anyone else's is 404.</summary>
    public async Task<Result<MaterialReadLinkView>> ForApplicationAsync(Caller caller, string applicationId, string materialId, CancellationToken cancellationToken)
    {
        var stored = Ids.IsIssued(applicationId) ? await applications.GetAsync(caller.OwnerId, applicationId, cancellationToken) : null;
        if (stored is null)
        {
            await AuditAsync(caller, null, AuditActions.Clipped(materialId), AuditActions.Refused, cancellationToken);
            return Problem.NotFound($"Application '{applicationId}'");
        }
        return await IssueAsync(caller, stored.Value, materialId, $"application '{applicationId}'", cancellationToken);
    }

    /// <summary>
    /// A material of a case the caller's department has a task on. Any other case is 404, and that
    /// refusal goes to the caller's day chain, not the case's, so it does not confirm the number exists.
    /// </summary>
    public async Task<Result<MaterialReadLinkView>> ForCaseAsync(Caller caller, string caseNumber, string materialId, CancellationToken cancellationToken)
    {
        var stored = await CaseAccess.FindCaseAsync(caseIndex, applications, caseNumber, cancellationToken);
        if (stored is null || !CaseAccess.DepartmentHasTask(caller, stored.Value))
        {
            await AuditAsync(caller, null, AuditActions.Clipped(materialId), AuditActions.Refused, cancellationToken);
            return Problem.NotFound($"Case '{caseNumber}'");
        }
        return await IssueAsync(caller, stored.Value, materialId, $"case '{caseNumber}'", cancellationToken);
    }

    private async Task<Result<MaterialReadLinkView>> IssueAsync(Caller caller, Application application, string materialId, string of, CancellationToken cancellationToken)
    {
        var material = application.Materials.FirstOrDefault(m => m.Id == materialId);
        if (material is null)
        {
            await AuditAsync(caller, application.CaseNumber, AuditActions.Clipped(materialId), AuditActions.Refused, cancellationToken);
            return Problem.NotFound($"Material '{materialId}' of {of}");
        }
        if (!material.IsVerified || material.VerifiedBlobName is null)
        {
            // Only the sealed copy is ever read: the uploaded blob can still be written by its upload URL.
            await AuditAsync(caller, application.CaseNumber, materialId, AuditActions.Refused, cancellationToken);
            return Problem.Conflict("material-not-verified", "Material not verified.",
                $"Material '{materialId}' has not been uploaded and verified, so there is nothing to read yet.");
        }
        // Recorded before the link exists: an issued link is never missing from the trail.
        await AuditAsync(caller, application.CaseNumber, materialId, AuditActions.Success, cancellationToken);
        var expiresAt = clock.GetUtcNow() + options.ReadLinkLifetime;
        var link = await materials.CreateReadLinkAsync(material.VerifiedBlobName, material.ContentType,
            MaterialRules.ContentDisposition(material.FileName), expiresAt, cancellationToken);
        return new MaterialReadLinkView(material.Id, material.Code, material.FileName, material.ContentType, material.SizeBytes, material.Sha256,
            link.Url, "GET", link.ExpiresAt) { ContentMd5 = material.VerifiedContentMd5 };
    }

    /// <summary>Like other reads, an issue whose record cannot be written still answers, and the failure is logged (decision 11).</summary>
    private Task AuditAsync(Caller caller, string? caseNumber, string materialId, string outcome, CancellationToken cancellationToken) =>
        audit.TryAppendAsync(AuditEntry.By(caller, caseNumber, AuditActions.MaterialReadLink, AuditActions.MaterialObject(materialId), outcome, clock.GetUtcNow()), cancellationToken);
}
