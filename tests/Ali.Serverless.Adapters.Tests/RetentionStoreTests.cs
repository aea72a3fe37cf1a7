using System.Text.Json.Nodes;
using Ali.Serverless.Adapters.Azure.Blobs;
using Ali.Serverless.Adapters.Azure.Cosmos;
using Ali.Serverless.Adapters.Sqlite;
using Ali.Serverless.Applications;
using Ali.Serverless.Cases;
using Ali.Serverless.Retention;
using Azure.Storage.Blobs;
using Microsoft.Azure.Cosmos;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>Retention in the stores (decision 15): what the sweep finds, the TTL Cosmos documents carry, and a sweep over SQLite and Azurite.</summary>
public sealed class RetentionStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);
    private readonly BlobContainerClient _blobs =
        new BlobServiceClient(TestEnvironment.Storage).GetBlobContainerClient(TestEnvironment.UniqueName("retention-"));

    public async Task InitializeAsync() => await _blobs.CreateIfNotExistsAsync();

    public async Task DisposeAsync() => await _blobs.DeleteIfExistsAsync();

    private static Application Submitted(Application application, ApplicationStatus status = ApplicationStatus.PendingAcceptance) =>
        application with { Status = status, CaseNumber = "542500-20261128-0123456789", SubmittedAt = application.UpdatedAt };

    [Theory]
    [MemberData(nameof(StoreTargets.BeyondTestServer), MemberType = typeof(StoreTargets))]
    public async Task Sweep_FindsDraftsByLastChange_AndEndedCasesByTheirEnd_ThenDeletes(string target)
    {
        var (_, applications) = await StoreTargets.CreateAsync(target);
        var oldDraft = TestData.Application("applicant:a", T0);
        var newDraft = TestData.Application("applicant:a", T0.AddDays(1));
        var withdrawnDraft = TestData.Application("applicant:b", T0) with { Status = ApplicationStatus.Withdrawn };
        var open = Submitted(TestData.Application("applicant:a", T0));
        var completed = Submitted(TestData.Application("hall:542521", T0), ApplicationStatus.Completed);
        foreach (var a in new[] { oldDraft, newDraft, withdrawnDraft, open, completed })
        {
            await applications.CreateAsync(a, default);
        }

        Assert.Equal(new[] { oldDraft.Id, withdrawnDraft.Id }.Order(), (await applications.ListDraftsUntouchedSinceAsync(T0.AddHours(1), 10, default)).Select(a => a.Id).Order());
        Assert.Empty(await applications.ListDraftsUntouchedSinceAsync(T0, 10, default));
        Assert.Equal([completed.Id], (await applications.ListEndedBeforeAsync(T0.AddHours(1), 10, default)).Select(a => a.Id));
        Assert.Empty(await applications.ListEndedBeforeAsync(T0, 10, default));

        // Submitting a draft takes it out of the drafts the sweep sees.
        var stored = await applications.GetAsync("applicant:a", oldDraft.Id, default);
        await applications.ReplaceAsync(Submitted(oldDraft), stored!.ETag, default);
        Assert.Equal([withdrawnDraft.Id], (await applications.ListDraftsUntouchedSinceAsync(T0.AddHours(1), 10, default)).Select(a => a.Id));

        await applications.DeleteAsync("applicant:b", withdrawnDraft.Id, default);
        await applications.DeleteAsync("applicant:b", withdrawnDraft.Id, default);
        Assert.Null(await applications.GetAsync("applicant:b", withdrawnDraft.Id, default));
        Assert.Empty(await applications.ListDraftsUntouchedSinceAsync(T0.AddHours(1), 10, default));
    }

    [Fact]
    public async Task CosmosDocument_OfADraft_CarriesTheTtl_RestartedByEveryWrite_AndASubmittedOneNone()
    {
        var container = await StoreTargets.CreateCosmosApplicationsContainerAsync();
        var store = new CosmosApplicationStore(container, TestKeys.Protector, 1234);
        var draft = TestData.Application("applicant:ttl", T0);

        var created = await store.CreateAsync(draft, default);
        Assert.Equal(1234, (await RawAsync(container, draft))["ttl"]!.GetValue<int>());
        Assert.Equal(T0.UtcTicks, (await RawAsync(container, draft))[CosmosApplicationStore.DraftSinceField]!.GetValue<long>());

        var submitted = await store.ReplaceAsync(Submitted(draft), created!.ETag, default);
        var raw = await RawAsync(container, draft);
        Assert.NotNull(submitted);
        Assert.False(raw.ContainsKey("ttl"));
        Assert.Null(raw[CosmosApplicationStore.DraftSinceField]);

        await store.ReplaceAsync(Submitted(draft, ApplicationStatus.Completed), submitted.ETag, default);
        Assert.Equal(T0.UtcTicks, (await RawAsync(container, draft))[CosmosApplicationStore.EndedAtField]!.GetValue<long>());
    }

    private static async Task<JsonObject> RawAsync(Container container, Application application) =>
        (await container.ReadItemAsync<JsonObject>(application.Id, new PartitionKey(application.OwnerId))).Resource;

    [Fact]
    public async Task Sweep_OverSqliteAndAzurite_DeletesTheExpiredDraftAndItsBlobs_AndKeepsTheLiveDraftAndTheSubmittedCase()
    {
        var store = new SqliteApplicationStore(new SqliteDatabase(Path.Combine(Path.GetTempPath(), $"ali-retention-{Guid.NewGuid():N}.db")), TestKeys.Protector);
        var materials = new BlobMaterialStorage(_blobs, TimeProvider.System);
        var now = T0.AddDays(40);
        var expired = await SeedAsync(store, TestData.Application("applicant:a", T0));
        var live = await SeedAsync(store, TestData.Application("applicant:a", T0) with { UpdatedAt = now.AddDays(-29) });
        var submitted = await SeedAsync(store, Submitted(TestData.Application("applicant:b", T0)));
        // A replaced material whose deletion is still in the outbox goes with the draft too.
        await _blobs.GetBlobClient($"{expired.Id}/replaced").UploadAsync(BinaryData.FromString("old"));
        var stored = await store.GetAsync(expired.OwnerId, expired.Id, default);
        await store.ReplaceAsync(expired with { Outbox = [new OutboxEntry($"delete-blob:{expired.Id}/replaced", OutboxKind.DeleteBlob, T0, Detail: $"{expired.Id}/replaced")] }, stored!.ETag, default);

        var sweeper = new RetentionSweeper(store, materials, new RetentionOptions(), new FixedClock(now));
        var sweep = await sweeper.RunAsync(100, default);

        Assert.Equal(new RetentionSweep(1, 0), sweep);
        Assert.Null(await store.GetAsync(expired.OwnerId, expired.Id, default));
        Assert.NotNull(await store.GetAsync(live.OwnerId, live.Id, default));
        Assert.NotNull(await store.GetAsync(submitted.OwnerId, submitted.Id, default));
        var left = new List<string>();
        await foreach (var blob in _blobs.GetBlobsAsync())
        {
            left.Add(blob.Name);
        }
        Assert.DoesNotContain(left, name => name.Contains(expired.Id, StringComparison.Ordinal));
        Assert.Equal(
            new[] { $"{live.Id}/m1", $"verified/{live.Id}/m1", $"verified/{submitted.Id}/m1" }.Order(),
            left.Order());

        // A second sweep finds nothing more to do.
        Assert.Equal(new RetentionSweep(0, 0), await sweeper.RunAsync(100, default));
    }

    /// <summary>Stores the application with one verified material, its upload blob and its sealed copy (a submitted case keeps only the copy).</summary>
    private async Task<Application> SeedAsync(IApplicationStore store, Application application)
    {
        var material = new Material
        {
            Id = "m1",
            Code = "M01",
            FileName = "a.pdf",
            ContentType = "application/pdf",
            SizeBytes = 3,
            Sha256 = new string('a', 64),
            BlobName = $"{application.Id}/m1",
            DeclaredAt = application.CreatedAt,
            VerifiedAt = application.CreatedAt,
            VerifiedBlobName = $"verified/{application.Id}/m1",
        };
        var withMaterial = application with { Materials = [material] };
        if (application.CaseNumber is null)
        {
            await _blobs.GetBlobClient(material.BlobName).UploadAsync(BinaryData.FromString("pdf"));
        }
        await _blobs.GetBlobClient(material.VerifiedBlobName).UploadAsync(BinaryData.FromString("pdf"));
        await store.CreateAsync(withMaterial, default);
        return withMaterial;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
