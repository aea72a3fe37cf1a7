using Ali.Serverless.Adapters.Azure;
using Ali.Serverless.Adapters.Azure.Queues;
using Ali.Serverless.Applications;
using Ali.Serverless.Audit;
using Ali.Serverless.Cases;
using Ali.Serverless.Functions.Composition;
using Ali.Serverless.Identity;
using Ali.Serverless.Limits;
using Ali.Serverless.Materials;
using Ali.Serverless.PersonalData;
using Ali.Serverless.Pipeline;
using Ali.Serverless.Retention;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Ali.Serverless.LoadTest.Bench;

/// <summary>
/// The floors of the write routes: the store operations and queue sends each route performs, in the same order and
/// number, driven in this process without HTTP, authentication or the rules. The ports are the host's own adapter
/// classes, composed by the host's <see cref="ServiceRegistration"/> from the same settings (the benchmark's
/// environment: the same SQLite file, key directory and Azurite), so the floor pays the same encryption, SQL and
/// storage calls. The documents are the route's own: each floor works on applications the route's preparation made
/// over HTTP, changed the way the route changes them. Only the submission message goes to a queue of its own
/// (<see cref="FloorSubmittedQueue"/>), so the host's pre-check does not pick floor messages up while others are timed.
/// The list of calls per route is written down in docs/performance.md ("The write routes' floors").
/// </summary>
internal sealed class Floors
{
    public const string FloorSubmittedQueue = "bench-floor-submitted";

    private static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private readonly IApplicationStore _applications;
    private readonly IAuditStore _audit;
    private readonly IRateLimitStore _rateLimits;
    private readonly IMaterialStorage _materials;
    private readonly ISubmissionQueue _submissions;
    private readonly ApplicantKeys _applicantKeys;
    private readonly TimeProvider _clock = TimeProvider.System;

    /// <summary>The composed ports, for <see cref="Probe"/>.</summary>
    public IServiceProvider Services { get; }

    private Floors(IServiceProvider services, ISubmissionQueue submissions, IMaterialStorage materials)
    {
        Services = services;
        _applications = services.GetRequiredService<IApplicationStore>();
        _audit = services.GetRequiredService<IAuditStore>();
        _rateLimits = services.GetRequiredService<IRateLimitStore>();
        _applicantKeys = services.GetRequiredService<ApplicantKeys>();
        _materials = materials;
        _submissions = submissions;
    }

    /// <summary>The ports as the host composes them, from the environment the benchmark gave the host too.</summary>
    public static async Task<Floors> FromEnvironmentAsync()
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        ServiceRegistration.AddStores(services, configuration);
        ServiceRegistration.AddPersonalData(services, configuration, Environment);
        var provider = services.BuildServiceProvider();
        var storage = AzureStorage.FromConnectionString(configuration[AppSettingNames.Storage]
            ?? throw new InvalidOperationException($"The floors need {AppSettingNames.Storage} (Azurite), as scripts/benchmark.sh sets it."));
        var queue = storage.Queues.GetQueueClient(FloorSubmittedQueue);
        await queue.CreateIfNotExistsAsync();
        return new Floors(provider, new StorageSubmissionQueue(queue), storage.Materials(TimeProvider.System));
    }

    /// <summary>POST /api/applications: count the request, key the identity number, create, append the audit record, clear the outbox.</summary>
    public async Task<bool> OpenAsync(string subject, Application template, CancellationToken cancellationToken)
    {
        var caller = new Caller(subject, Roles.Applicant, null);
        if (!await CountAsync(caller, "open-application", cancellationToken))
        {
            return false;
        }
        var now = _clock.GetUtcNow();
        var applicantKey = await _applicantKeys.ForAsync(template.Applicant.Kind, template.Applicant.DocumentNumber, cancellationToken);
        var id = NewId();
        var application = template with
        {
            Id = id,
            OwnerId = caller.OwnerId,
            ApplicantKey = applicantKey,
            OpenedBy = subject,
            CreatedAt = now,
            UpdatedAt = now,
            Outbox = [],
        };
        var created = await _applications.CreateAsync(WithAudit(application, caller, AuditActions.ApplicationOpen, $"application:{id}", now), cancellationToken);
        return created is not null && await AuditAndClearAsync(created, cancellationToken);
    }

    /// <summary>POST …/materials: count, read, write the declaration with its audit entry, append it, clear, sign an upload URL.</summary>
    public async Task<bool> DeclareAsync(string subject, string applicationId, CancellationToken cancellationToken)
    {
        var caller = new Caller(subject, Roles.Applicant, null);
        if (!await CountAsync(caller, "declare-material", cancellationToken)
            || await _applications.GetAsync(caller.OwnerId, applicationId, cancellationToken) is not { } stored)
        {
            return false;
        }
        var now = _clock.GetUtcNow();
        var materialId = NewId();
        var material = new Material
        {
            Id = materialId,
            Code = "M01",
            FileName = "申请表.pdf",
            ContentType = "application/pdf",
            SizeBytes = BenchHttp.MaterialBytes,
            Sha256 = BenchHttp.PdfSha256,
            BlobName = $"{applicationId}/{materialId}",
            DeclaredAt = now,
        };
        var updated = stored.Value with
        {
            Materials = [.. stored.Value.Materials.Where(m => m.Code != material.Code), material],
            DeclarationCount = stored.Value.DeclarationCount + 1,
            UpdatedAt = now,
        };
        var saved = await _applications.ReplaceAsync(WithAudit(updated, caller, AuditActions.MaterialDeclare, AuditActions.MaterialObject(materialId), now), stored.ETag, cancellationToken);
        if (saved is null || !await AuditAndClearAsync(saved, cancellationToken))
        {
            return false;
        }
        await _materials.CreateUploadTargetAsync(material.BlobName, material.ContentType, now + TimeSpan.FromMinutes(15), cancellationToken);
        return true;
    }

    /// <summary>POST …/complete: read, seal the uploaded blob (the adapter's inspection), write it verified with its audit entry, append, clear.</summary>
    public async Task<bool> CompleteAsync(string subject, string applicationId, CancellationToken cancellationToken)
    {
        var caller = new Caller(subject, Roles.Applicant, null);
        if (await _applications.GetAsync(caller.OwnerId, applicationId, cancellationToken) is not { } stored)
        {
            return false;
        }
        var material = stored.Value.Materials.Single(m => m.VerifiedAt is null);
        var sealedName = Material.SealedNameFor(material.BlobName);
        if (await _materials.InspectAsync(material.BlobName, material.SizeBytes, sealedName, cancellationToken) is null)
        {
            return false;
        }
        var now = _clock.GetUtcNow();
        var updated = stored.Value with
        {
            Materials = stored.Value.Materials.Select(m => m.Id == material.Id ? m with { VerifiedAt = now, VerifiedBlobName = sealedName } : m).ToList(),
            UpdatedAt = now,
        };
        var saved = await _applications.ReplaceAsync(WithAudit(updated, caller, AuditActions.MaterialVerify, AuditActions.MaterialObject(material.Id), now), stored.ETag, cancellationToken);
        return saved is not null && await AuditAndClearAsync(saved, cancellationToken);
    }

    /// <summary>
    /// POST …/submit: count, read, write the submission (case number, audit entry, the upload blobs' deletions), append the
    /// record, delete the upload blob, clear the outbox, send the message, mark it sent.
    /// </summary>
    public async Task<bool> SubmitAsync(string subject, string applicationId, CancellationToken cancellationToken)
    {
        var caller = new Caller(subject, Roles.Applicant, null);
        if (!await CountAsync(caller, "sms-actions", cancellationToken)
            || await _applications.GetAsync(caller.OwnerId, applicationId, cancellationToken) is not { } stored)
        {
            return false;
        }
        var now = _clock.GetUtcNow();
        var application = stored.Value;
        var submitted = application with
        {
            Materials = application.Materials.Where(m => m.IsVerified).ToList(),
            Outbox = [.. application.Outbox, .. RetentionRules.UploadDeletionsAtSubmission(application.Materials, now)],
            Status = ApplicationStatus.Submitted,
            CaseNumber = CaseNumbers.For(application, now),
            SubmittedAt = now,
            UpdatedAt = now,
        };
        var saved = await _applications.ReplaceAsync(WithAudit(submitted, caller, AuditActions.ApplicationSubmit, $"application:{applicationId}", now), stored.ETag, cancellationToken);
        if (saved is null)
        {
            return false;
        }
        foreach (var entry in saved.Value.Outbox)
        {
            if (entry.Kind == OutboxKind.Audit)
            {
                await AppendAsync(entry, cancellationToken);
            }
            else if (entry is { Kind: OutboxKind.DeleteBlob, Detail: { } blob })
            {
                await _materials.DiscardAsync(blob, cancellationToken);
            }
        }
        var cleared = await _applications.ReplaceAsync(saved.Value with { Outbox = [] }, saved.ETag, cancellationToken);
        if (cleared is null)
        {
            return false;
        }
        var value = cleared.Value;
        await _submissions.EnqueueAsync(new ApplicationSubmitted(value.Id, value.OwnerId, value.CaseNumber!, value.ItemCode, value.DepartmentCode, value.SubmittedAt!.Value, null), cancellationToken);
        return await _applications.ReplaceAsync(value with { SubmissionQueuedAt = now, UpdatedAt = now }, cleared.ETag, cancellationToken) is not null;
    }

    /// <summary>A stored application by its owner and id (to copy an opened document as the open floor's template).</summary>
    public async Task<Application> ReadAsync(string subject, string applicationId) =>
        (await _applications.GetAsync(new Caller(subject, Roles.Applicant, null).OwnerId, applicationId, CancellationToken.None))?.Value
            ?? throw new InvalidOperationException($"Application {applicationId} of {subject} is not in the store the floors use.");

    private async Task<bool> CountAsync(Caller caller, string bucket, CancellationToken cancellationToken)
    {
        var rule = new RateLimitRule(bucket, int.MaxValue, Window);
        return await _rateLimits.TryCountAsync($"{caller.Role}:{caller.Subject}", bucket, rule.WindowStart(_clock.GetUtcNow()), Window, rule.Limit, cancellationToken);
    }

    /// <summary>The audit record the change carries in its outbox (look-up, last of the chain, insert), then the outbox cleared.</summary>
    private async Task<bool> AuditAndClearAsync(Stored<Application> saved, CancellationToken cancellationToken)
    {
        foreach (var entry in saved.Value.Outbox)
        {
            await AppendAsync(entry, cancellationToken);
        }
        return await _applications.ReplaceAsync(saved.Value with { Outbox = [] }, saved.ETag, cancellationToken) is not null;
    }

    private async Task AppendAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var audit = entry.Audit! with { Id = entry.Id };
        if (await _audit.FindAsync(audit.Chain, entry.Id, cancellationToken) is not null)
        {
            return;
        }
        var last = await _audit.GetLastAsync(audit.Chain, cancellationToken);
        if (!await _audit.TryCreateAsync(AuditRecord.Next(audit, entry.Id, last), cancellationToken))
        {
            throw new InvalidOperationException($"The floor's audit chain {audit.Chain} has a second writer: each worker must have its own.");
        }
    }

    private static Application WithAudit(Application changed, Caller caller, string action, string target, DateTimeOffset now)
    {
        var id = NewId();
        var entry = AuditEntry.By(caller, changed.CaseNumber, action, target, AuditActions.Success, now) with { Id = id };
        return changed with { Outbox = [.. changed.Outbox, new OutboxEntry(id, OutboxKind.Audit, now) { Audit = entry }] };
    }

    private static string NewId() => Guid.CreateVersion7().ToString("N");

    /// <summary>Development: the composition asks for an environment; the key directory is always set by the benchmark.</summary>
    public static readonly IHostEnvironment Environment = new BenchEnvironment();

    /// <summary>The host environment the composition asks for; the key directory is always set by the benchmark.</summary>
    private sealed class BenchEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Development;
        public string ApplicationName { get; set; } = "Ali.Serverless.LoadTest";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
