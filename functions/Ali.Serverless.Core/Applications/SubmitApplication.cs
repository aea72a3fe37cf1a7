using Ali.Serverless.Audit;
using Ali.Serverless.Catalog;
using Ali.Serverless.Common;
using Ali.Serverless.Identity;
using Ali.Serverless.Retention;

namespace Ali.Serverless.Applications;

/// <summary>Submitting a complete application; everything missing is named at once (一次性告知).</summary>
public sealed partial class ApplicationIntake
{
    /// <summary>
    /// Submits a draft whose required materials are all verified. Everything missing is named in one
    /// answer (一次性告知). The submission message is sent after the state is saved; if that send is
    /// lost, the relay sends it later.
    /// </summary>
    public async Task<Result<Application>> SubmitAsync(Caller caller, string applicationId, CancellationToken cancellationToken)
    {
        var stored = await FindAsync(caller, applicationId, cancellationToken);
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
        missing.AddRange(await NoLongerValidLicencesAsync(item, application, cancellationToken));
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
        // Only verified materials go on with the case; every upload blob (and unverified materials) is
        // deleted through the outbox, in this same write: the sealed copies are what the case keeps.
        var submitted = application with
        {
            Materials = application.Materials.Where(m => m.IsVerified).ToList(),
            Outbox = [.. application.Outbox, .. RetentionRules.UploadDeletionsAtSubmission(application.Materials, now)],
            Status = ApplicationStatus.Submitted,
            Language = caller.Language ?? application.Language,
            CaseNumber = CaseNumbers.For(application, now),
            SubmittedAt = now,
            UpdatedAt = now,
            TraceParent = Operations.CaseTelemetry.CurrentTraceParent(),
        };
        // The submission's record opens the case's chain: the case number exists from this write on.
        var saved = await applications.ReplaceAsync(
            WithAudit(submitted, caller, AuditActions.ApplicationSubmit, $"application:{application.Id}", now), stored.ETag, cancellationToken);
        if (saved is null)
        {
            return Problem.ConcurrentChange($"Application '{applicationId}'");
        }
        // The record first, so it precedes the pre-check's on the chain; the dispatcher marks the document the
        // outbox left (its ETag), not the one saved above, which would be refused and re-read.
        var audited = await DispatchAuditAsync(saved, cancellationToken);
        try
        {
            return await dispatcher.DispatchAsync(audited, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The submission is saved with its case number: it is accepted. The relay sends the message
            // within minutes (and logs that it had to), so the applicant is not told to retry a done thing.
            return audited.Value;
        }
    }

    /// <summary>Licences given as materials that were revoked or expired since: they count as missing, named with why.</summary>
    private async Task<List<MissingMaterial>> NoLongerValidLicencesAsync(ServiceItem item, Application application, CancellationToken cancellationToken)
    {
        var gone = new List<MissingMaterial>();
        foreach (var material in application.Materials.Where(m => m.Licence is not null))
        {
            var status = await licences.StatusAsync(material.Licence!.LicenceId, cancellationToken);
            if (status != Licences.LicenceStatus.Valid && item.FindMaterial(material.Code) is { } requirement)
            {
                gone.Add(new MissingMaterial(requirement.Code, requirement.Name,
                    $"the licence {material.Licence.Number} given for it is {(status is { } s ? Licences.LicenceStatusNames.ToWire(s) : "gone")}; give a valid one or upload the file"));
            }
        }
        return gone;
    }

    internal static List<MissingMaterial> MissingMaterials(ServiceItem item, Application application)
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
}

/// <summary>One required material the applicant still has to provide.</summary>
public sealed record MissingMaterial(string Code, LocalizedText Name, string Reason);
