using Ali.Serverless.Applications;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>What every store implementation must do; each theory runs once per store in <see cref="StoreTargets"/>.</summary>
public sealed class StoreContractTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(StoreTargets.All), MemberType = typeof(StoreTargets))]
    public async Task Catalog_Upsert_IsIdempotent_AndReadsBackEveryField(string target)
    {
        var (catalog, _) = await StoreTargets.CreateAsync(target);
        var item = TestData.Item("542500-RSJ-1");

        await catalog.UpsertAsync(item, default);
        await catalog.UpsertAsync(item with { PromisedTimeLimitDays = 5 }, default);

        var read = await catalog.GetAsync("542500-RSJ-1", default);
        Assert.NotNull(read);
        Assert.Equal(5, read.PromisedTimeLimitDays);
        Assert.Equal(item.Name, read.Name);
        Assert.Equal(item.Channels, read.Channels);
        Assert.Equal(item.Materials.Single(), read.Materials.Single() with { AcceptedContentTypes = item.Materials[0].AcceptedContentTypes });
        Assert.Equal(["application/pdf"], read.Materials[0].AcceptedContentTypes);
        Assert.Single(await catalog.ListAsync(null, null, default));
    }

    [Theory]
    [MemberData(nameof(StoreTargets.All), MemberType = typeof(StoreTargets))]
    public async Task Catalog_List_FiltersByDepartmentAndType_InItemCodeOrder(string target)
    {
        var (catalog, _) = await StoreTargets.CreateAsync(target);
        await catalog.UpsertAsync(TestData.Item("B-2", "542500-SCJGJ", "01"), default);
        await catalog.UpsertAsync(TestData.Item("A-1", "542500-SCJGJ", "20"), default);
        await catalog.UpsertAsync(TestData.Item("C-3", "542500-RSJ", "01"), default);

        Assert.Equal(["A-1", "B-2", "C-3"], (await catalog.ListAsync(null, null, default)).Select(i => i.ItemCode));
        Assert.Equal(["A-1", "B-2"], (await catalog.ListAsync("542500-SCJGJ", null, default)).Select(i => i.ItemCode));
        Assert.Equal(["B-2"], (await catalog.ListAsync("542500-SCJGJ", "01", default)).Select(i => i.ItemCode));
    }

    [Theory]
    [MemberData(nameof(StoreTargets.BeyondTestServer), MemberType = typeof(StoreTargets))]
    public async Task Catalog_GetMissing_ReturnsNull(string target)
    {
        var (catalog, _) = await StoreTargets.CreateAsync(target);

        Assert.Null(await catalog.GetAsync("NOPE", default));
    }

    [Theory]
    [MemberData(nameof(StoreTargets.All), MemberType = typeof(StoreTargets))]
    public async Task CatalogVersion_SaveThenGet_RoundTrips_AndIsNeverListedAsAnItem(string target)
    {
        var (catalog, _) = await StoreTargets.CreateAsync(target);
        await catalog.UpsertAsync(TestData.Item("A-1", "542500-SCJGJ", "01"), default);
        var first = new Ali.Serverless.Catalog.CatalogVersion("h1", new Dictionary<string, string> { ["542500-a.json"] = "f1" }, T0);
        var second = first with { Hash = "h2", Files = new Dictionary<string, string> { ["542500-a.json"] = "f2", ["542500-b.json"] = "f3" } };

        await catalog.SaveVersionAsync(first, default);
        await catalog.SaveVersionAsync(second, default);

        var read = await catalog.GetVersionAsync(default);
        Assert.NotNull(read);
        Assert.Equal(("h2", T0), (read.Hash, read.LoadedAt));
        Assert.Equal(second.Files.OrderBy(f => f.Key), read.Files.OrderBy(f => f.Key));
        Assert.Equal(["A-1"], (await catalog.ListAsync(null, null, default)).Select(i => i.ItemCode));
    }

    [Theory]
    [MemberData(nameof(StoreTargets.BeyondTestServer), MemberType = typeof(StoreTargets))]
    public async Task CatalogVersion_BeforeTheFirstLoad_IsNull(string target)
    {
        var (catalog, _) = await StoreTargets.CreateAsync(target);

        Assert.Null(await catalog.GetVersionAsync(default));
    }

    [Theory]
    [MemberData(nameof(StoreTargets.All), MemberType = typeof(StoreTargets))]
    public async Task Application_Create_ThenGet_RoundTripsTheDocument(string target)
    {
        var (_, applications) = await StoreTargets.CreateAsync(target);
        var application = TestData.Application("applicant:a", T0);

        var created = await applications.CreateAsync(application, default);
        var read = await applications.GetAsync("applicant:a", application.Id, default);

        Assert.NotNull(created);
        Assert.NotNull(read);
        Assert.Equal(application.Applicant, read.Value.Applicant);
        Assert.Equal(application.Fields, read.Value.Fields);
        Assert.Equal(application.CreatedAt, read.Value.CreatedAt);
        Assert.Equal(ApplicationStatus.Draft, read.Value.Status);
        Assert.Equal(created.ETag, read.ETag);
    }

    [Theory]
    [MemberData(nameof(StoreTargets.All), MemberType = typeof(StoreTargets))]
    public async Task Application_CreateWithExistingId_ReturnsNull_AndKeepsTheFirst(string target)
    {
        var (_, applications) = await StoreTargets.CreateAsync(target);
        var first = TestData.Application("applicant:a", T0);

        await applications.CreateAsync(first, default);
        var second = await applications.CreateAsync(first with { ItemCode = "OTHER" }, default);

        Assert.Null(second);
        Assert.Equal(first.ItemCode, (await applications.GetAsync("applicant:a", first.Id, default))!.Value.ItemCode);
    }

    [Theory]
    [MemberData(nameof(StoreTargets.BeyondTestServer), MemberType = typeof(StoreTargets))]
    public async Task Application_IsInvisibleFromAnotherOwnersPartition(string target)
    {
        var (_, applications) = await StoreTargets.CreateAsync(target);
        var application = TestData.Application("applicant:a", T0);
        await applications.CreateAsync(application, default);

        Assert.Null(await applications.GetAsync("applicant:b", application.Id, default));
    }

    [Theory]
    [MemberData(nameof(StoreTargets.All), MemberType = typeof(StoreTargets))]
    public async Task Application_Replace_WithCurrentETag_Succeeds_AndWithStaleETag_ReturnsNull(string target)
    {
        var (_, applications) = await StoreTargets.CreateAsync(target);
        var created = (await applications.CreateAsync(TestData.Application("applicant:a", T0), default))!;

        var first = await applications.ReplaceAsync(created.Value with { ItemCode = "FIRST" }, created.ETag, default);
        var stale = await applications.ReplaceAsync(created.Value with { ItemCode = "STALE" }, created.ETag, default);

        Assert.NotNull(first);
        Assert.NotEqual(created.ETag, first.ETag);
        Assert.Null(stale);
        Assert.Equal("FIRST", (await applications.GetAsync("applicant:a", created.Value.Id, default))!.Value.ItemCode);
    }

    [Theory]
    [MemberData(nameof(StoreTargets.BeyondTestServer), MemberType = typeof(StoreTargets))]
    public async Task Application_ListByOwner_IsNewestFirst_PagedWithContinuation_AndOnlyThatOwner(string target)
    {
        var (_, applications) = await StoreTargets.CreateAsync(target);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var application = TestData.Application("applicant:a", T0.AddMinutes(i));
            ids.Add(application.Id);
            await applications.CreateAsync(application, default);
        }
        await applications.CreateAsync(TestData.Application("applicant:b", T0.AddHours(1)), default);

        var page1 = await applications.ListByOwnerAsync("applicant:a", 2, null, default);
        var page2 = await applications.ListByOwnerAsync("applicant:a", 2, page1.ContinuationToken, default);
        var page3 = await applications.ListByOwnerAsync("applicant:a", 2, page2.ContinuationToken, default);

        ids.Reverse();
        Assert.Equal(ids, page1.Items.Concat(page2.Items).Concat(page3.Items).Select(a => a.Id));
        Assert.NotNull(page1.ContinuationToken);
        Assert.Null(page3.ContinuationToken);
    }

    [Theory]
    [MemberData(nameof(StoreTargets.BeyondTestServer), MemberType = typeof(StoreTargets))]
    public async Task Application_ListByOwner_WithForeignToken_Throws(string target)
    {
        var (_, applications) = await StoreTargets.CreateAsync(target);

        await Assert.ThrowsAsync<InvalidContinuationTokenException>(() =>
            applications.ListByOwnerAsync("applicant:a", 2, "not-a-token", default));
    }

    [Theory]
    [MemberData(nameof(StoreTargets.BeyondTestServer), MemberType = typeof(StoreTargets))]
    public async Task Application_ListAwaitingDispatch_FindsSubmittedButUnqueued_Only(string target)
    {
        var (_, applications) = await StoreTargets.CreateAsync(target);
        var unsent = TestData.Application("applicant:a", T0) with { Status = ApplicationStatus.Submitted, SubmittedAt = T0, CaseNumber = "542500-20261128-AAAAAAAAAA" };
        var sent = TestData.Application("applicant:b", T0) with { Status = ApplicationStatus.Submitted, SubmittedAt = T0, SubmissionQueuedAt = T0, CaseNumber = "542500-20261128-BBBBBBBBBB" };
        var recent = TestData.Application("applicant:c", T0) with { Status = ApplicationStatus.Submitted, SubmittedAt = T0.AddMinutes(10), CaseNumber = "542500-20261128-CCCCCCCCCC" };
        var draft = TestData.Application("applicant:d", T0);
        foreach (var application in new[] { unsent, sent, recent, draft })
        {
            await applications.CreateAsync(application, default);
        }

        var found = await applications.ListAwaitingDispatchAsync(T0.AddMinutes(5), 10, default);

        Assert.Equal([unsent.Id], found.Select(a => a.Id));
    }
}
