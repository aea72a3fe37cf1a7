using Ali.Serverless.Common;
using Ali.Serverless.Identity;

namespace Ali.Serverless.Applications;

/// <summary>Reading one's own applications: a point read, or one partition newest first.</summary>
public sealed partial class ApplicationIntake
{
    public async Task<Result<Application>> GetAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        // Reads also reach window applications linked by the caller's verified identity number (一号).
        var stored = await linked.FindReadableAsync(caller, id, cancellationToken);
        // Someone else's application answers exactly like a missing one: its existence is not disclosed.
        // A draft the retention sweep is removing is gone too.
        return stored is null || stored.Value.ExpiredAt is not null ? Problem.NotFound($"Application '{id}'") : stored.Value;
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
            var page = await applications.ListByOwnerAsync(caller.OwnerId, size, continuationToken, cancellationToken);
            // A draft the retention sweep is removing is already gone for its owner.
            page = page with { Items = page.Items.Where(a => a.ExpiredAt is null).ToList() };
            if (continuationToken is not null)
            {
                return page;
            }
            // 一号: the first page also holds the window applications of the caller's verified identity
            // number (few, bounded by LinkedApplications.MaxLinked); later pages are the own partition's.
            var windowApplications = (await linked.ListAsync(caller, cancellationToken)).Where(a => a.ExpiredAt is null).ToList();
            return windowApplications.Count == 0
                ? page
                : page with
                {
                    Items = page.Items.Concat(windowApplications)
                        .OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id, StringComparer.Ordinal).ToList(),
                };
        }
        catch (InvalidContinuationTokenException)
        {
            return Result<Page<Application>>.Fail(Problem.InvalidField("continuationToken", "The continuation token is not one this list issued."));
        }
    }

    public async Task<Result<Material>> GetMaterialAsync(Caller caller, string applicationId, string materialId, CancellationToken cancellationToken)
    {
        var application = await GetAsync(caller, applicationId, cancellationToken);
        if (!application.IsSuccess)
        {
            return application.Problem!;
        }
        var material = application.Value!.Materials.FirstOrDefault(m => m.Id == materialId);
        return material is null ? Problem.NotFound($"Material '{materialId}' of application '{applicationId}'") : material;
    }
}
