using Ali.Serverless.Audit;
using Ali.Serverless.Common;
using Ali.Serverless.Identity;
using Ali.Serverless.Materials;

namespace Ali.Serverless.Applications;

/// <summary>Verifying an uploaded material against its declaration.</summary>
public sealed partial class ApplicationIntake
{
    /// <summary>
    /// Verifies an uploaded material: the blob exists and its size, type, signature and SHA-256 match
    /// the declaration. On any mismatch nothing changes and the material stays unverified.
    /// </summary>
    public async Task<Result<Application>> CompleteMaterialAsync(
        Caller caller, string applicationId, string materialId, CancellationToken cancellationToken)
    {
        var stored = await FindAsync(caller, applicationId, cancellationToken);
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
        if (MaterialChangeRefused(application, material.Code) is { } refused)
        {
            return refused;
        }

        var sealedName = Material.SealedNameFor(material.BlobName);
        UploadedBlob? blob;
        try
        {
            blob = await materials.InspectAsync(material.BlobName, material.SizeBytes, sealedName, cancellationToken);
        }
        catch (MaterialChangedException)
        {
            // Whatever part of a copy was made is not the verified file: remove it; the material stays unverified.
            await materials.DiscardAsync(sealedName, cancellationToken);
            return Problem.Conflict("material-changed", "The file changed while it was checked.",
                $"Material '{materialId}' was uploaded again while it was being verified. Finish the upload, then complete it again.");
        }
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
            await materials.DiscardAsync(sealedName, cancellationToken);
            var p = mismatches.ToProblem();
            return p with { Kind = ProblemKind.Unprocessable, Type = "material-mismatch", Title = "The uploaded file does not match its declaration.", Detail = "Upload the declared file again, or declare the material again." };
        }

        var now = clock.GetUtcNow();
        var verified = material with { VerifiedAt = now, VerifiedBlobName = sealedName };
        var updated = application with
        {
            Materials = application.Materials.Select(m => m.Id == materialId ? verified : m).ToList(),
            UpdatedAt = now,
        };
        var replaced = await applications.ReplaceAsync(
            WithAudit(updated, caller, AuditActions.MaterialVerify, AuditActions.MaterialObject(materialId), now), stored.ETag, cancellationToken);
        return replaced is null ? Problem.ConcurrentChange($"Application '{applicationId}'") : await DispatchAuditAsync(replaced, cancellationToken);
    }
}
