using Ali.Serverless.Audit;
using Ali.Serverless.Common;
using Ali.Serverless.Identity;
using Ali.Serverless.Materials;

namespace Ali.Serverless.Applications;

/// <summary>Verifying an uploaded material against its declaration.</summary>
public sealed partial class ApplicationIntake
{
    /// <summary>
    /// Verifies an uploaded material: the blob exists, its size, type and signature match the declaration,
    /// and the MD5 Blob Storage holds for it matches the declared one when both exist; Blob Storage seals a copy
    /// of it without the bytes passing through here (decision 21). On any mismatch nothing changes and the
    /// material stays unverified.
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
        // Only a copy made under the checked ETag is ever taken as verified; the adapter makes none when the size differs.
        if (blob.Sealed is null && blob.SizeBytes == material.SizeBytes)
        {
            mismatches.Add("sizeBytes", "The uploaded file could not be sealed at its declared size.");
        }
        // Blob Storage checked the bytes against a Content-MD5 sent with them, or computed one for a single PUT;
        // what it holds must be what was declared (decision 21). Without either, the SHA-256 is the applicant's word.
        if (blob.Sealed?.ContentMd5 is { } serviceMd5 && material.ContentMd5 is { } declaredMd5 && !MaterialRules.SameMd5(serviceMd5, declaredMd5))
        {
            mismatches.Add("contentMd5", "The uploaded file's MD5 differs from the declared one: the file was changed or damaged in transit.");
        }
        if (mismatches.Any)
        {
            await materials.DiscardAsync(sealedName, cancellationToken);
            var p = mismatches.ToProblem();
            return p with { Kind = ProblemKind.Unprocessable, Type = "material-mismatch", Title = "The uploaded file does not match its declaration.", Detail = "Upload the declared file again, or declare the material again." };
        }

        var now = clock.GetUtcNow();
        var verified = material with
        {
            VerifiedAt = now,
            VerifiedBlobName = sealedName,
            VerifiedContentMd5 = blob.Sealed!.ContentMd5,
            VerifiedETag = blob.Sealed.ETag,
        };
        var updated = application with
        {
            Materials = application.Materials.Select(m => m.Id == materialId ? verified : m).ToList(),
            UpdatedAt = now,
        };
        var replaced = await applications.ReplaceAsync(
            WithAudit(updated, caller, AuditActions.MaterialVerify, AuditActions.MaterialObject(materialId), now), stored.ETag, cancellationToken);
        return replaced is null ? Problem.ConcurrentChange($"Application '{applicationId}'") : (await DispatchAuditAsync(replaced, cancellationToken)).Value;
    }
}
