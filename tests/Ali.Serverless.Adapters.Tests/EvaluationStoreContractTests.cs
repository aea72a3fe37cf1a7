using Ali.Serverless.Evaluations;
using Ali.Serverless.Statistics;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>
/// What a review store must do, on SQLite and on Cosmos DB: keep every field but the typed text, never let
/// an older version overwrite a newer one, give statistics every review of a period with voided ones marked
/// (<see cref="IEvaluationFacts"/>), and list a department's or an item's reviews without the voided, newest
/// first. Ordered lists run on Cosmos only against a real account (the test server has no ORDER BY).
/// </summary>
public sealed class EvaluationStoreContractTests
{
    private static readonly DateTimeOffset Start = new(2026, 7, 1, 9, 0, 0, TimeSpan.FromHours(8));

    private static Evaluation Review(int i, string department = "542500-RSJ", string item = "542500-RSJ-20001", int satisfaction = 2, int minutes = 0) => new()
    {
        Id = $"{i:x32}",
        ApplicationId = $"{i + 1000:x32}",
        OwnerId = $"applicant:citizen-{i}",
        CaseNumber = $"542500-20260701-{i:X10}",
        ItemCode = item,
        DepartmentCode = department,
        DivisionCode = "542500",
        Channel = EvaluationChannels.Online,
        Satisfaction = satisfaction,
        Indicators = new Dictionary<string, int> { ["efficiency"] = satisfaction, ["guideAccuracy"] = 1, ["convenience"] = 2, ["operability"] = 3 },
        Text = "办事员电话13900000000很耐心",
        PublicText = "办事员电话139****0000很耐心",
        EvaluatedAt = Start.AddMinutes(minutes).AddTicks(4321),
        RecordedBy = $"citizen-{i}",
        RecordedByRole = "applicant",
    };

    private static Evaluation Bad(Evaluation review) => review with
    {
        Satisfaction = 5,
        Rectification = new Rectification { TaskId = $"{7:x32}", State = RectificationState.Open, DueAt = Start.AddDays(21) },
    };

    [Theory]
    [MemberData(nameof(StoreTargets.All), MemberType = typeof(StoreTargets))]
    public async Task A_review_is_kept_with_every_field_but_the_typed_text(string target)
    {
        var store = await StoreTargets.CreateEvaluationStoreAsync(target);
        var review = Bad(Review(1));

        await store.UpsertAsync(review, CancellationToken.None);
        var read = await store.GetAsync(review.DepartmentCode, review.Id, CancellationToken.None);

        Assert.NotNull(read);
        Assert.Null(read.Text);
        Assert.Equal("办事员电话139****0000很耐心", read.PublicText);
        Assert.Equal(review.EvaluatedAt, read.EvaluatedAt);
        Assert.Equal(review.Indicators, read.Indicators);
        Assert.Equal(review.Rectification, read.Rectification);
        Assert.Equal(review with { Text = null, Indicators = read.Indicators }, read with { Indicators = read.Indicators });
    }

    [Theory]
    [MemberData(nameof(StoreTargets.All), MemberType = typeof(StoreTargets))]
    public async Task A_copy_arriving_twice_or_late_never_goes_back_to_an_older_version(string target)
    {
        var store = await StoreTargets.CreateEvaluationStoreAsync(target);
        var opened = Bad(Review(2));
        var replied = opened with
        {
            Version = 2,
            Rectification = opened.Rectification! with { State = RectificationState.Replied, Reply = "已整改", RepliedBy = "rsj-1", RepliedAt = Start.AddDays(3) },
        };

        await store.UpsertAsync(opened, CancellationToken.None);
        await store.UpsertAsync(opened, CancellationToken.None);
        await store.UpsertAsync(replied, CancellationToken.None);
        await store.UpsertAsync(opened, CancellationToken.None);

        var read = await store.GetAsync(opened.DepartmentCode, opened.Id, CancellationToken.None);
        Assert.Equal(2, read!.Version);
        Assert.Equal(RectificationState.Replied, read.Rectification!.State);
        Assert.Equal("已整改", read.Rectification.Reply);
    }

    [Fact]
    public async Task On_Cosmos_the_document_carries_what_the_queries_compare_and_no_typed_text()
    {
        // The test server cannot run the cross-partition query statistics use; the fields it compares are pinned here,
        // the query text in CosmosQueryTests.
        var container = await StoreTargets.CreateCosmosEvaluationsContainerAsync();
        var voided = Review(40) with { Appeal = new Appeal { Reason = "误评", AppealedBy = "rsj-1", AppealedAt = Start, State = AppealState.Upheld } };

        await new Ali.Serverless.Adapters.Azure.Cosmos.CosmosEvaluationStore(container).UpsertAsync(voided, CancellationToken.None);

        using var response = await container.ReadItemStreamAsync(voided.Id, new Microsoft.Azure.Cosmos.PartitionKey(voided.DepartmentCode));
        response.EnsureSuccessStatusCode();
        var document = System.Text.Json.Nodes.JsonNode.Parse(await new StreamReader(response.Content).ReadToEndAsync())!;
        // Cosmos DB numbers are doubles: ticks come back to within a double's precision, as every other ticks field does.
        Assert.Equal((double)voided.EvaluatedAt.UtcTicks, document["evaluatedAtTicks"]!.GetValue<double>());
        Assert.True(document["voided"]!.GetValue<bool>());
        Assert.Equal("542500-RSJ", document["departmentCode"]!.GetValue<string>());
        Assert.Null(document["text"]);
        Assert.DoesNotContain("13900000000", document.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(StoreTargets.BeyondTestServer), MemberType = typeof(StoreTargets))]
    public async Task Statistics_get_every_review_of_the_period_with_the_voided_marked(string target)
    {
        IEvaluationStore store = await StoreTargets.CreateEvaluationStoreAsync(target);
        var before = Review(10, minutes: -1);
        var first = Review(11, minutes: 0);
        var voided = Bad(Review(12, department: "542500-FGW", item: "542500-FGW-01001", minutes: 30)) with
        {
            Version = 3,
            Appeal = new Appeal { Reason = "恶意差评", AppealedBy = "fgw-1", AppealedAt = Start.AddDays(1), State = AppealState.Upheld, DecidedBy = "sup-1", DecidedAt = Start.AddDays(2) },
        };
        var replied = Bad(Review(13, minutes: 59)) with { Version = 2 };
        replied = replied with { Rectification = replied.Rectification! with { State = RectificationState.Replied, Reply = "已整改", RepliedAt = Start.AddDays(4) } };
        var atTheEnd = Review(14, minutes: 60);
        foreach (var review in new[] { before, first, voided, replied, atTheEnd })
        {
            await store.UpsertAsync(review, CancellationToken.None);
        }

        IEvaluationFacts facts = store;
        var found = await facts.ListEvaluatedBetweenAsync(Start, Start.AddHours(1), CancellationToken.None);

        Assert.Equal([first.Id, voided.Id, replied.Id], found.Select(f => f.EvaluationId));
        var voidedFact = found.Single(f => f.EvaluationId == voided.Id);
        Assert.True(voidedFact.Voided);
        Assert.True(voidedFact.IsBad);
        Assert.Equal("542500-FGW", voidedFact.DepartmentCode);
        Assert.Equal("542500", voidedFact.DivisionCode);
        Assert.Equal(voided.CaseNumber, voidedFact.CaseNumber);
        Assert.Equal(EvaluationChannels.Online, voidedFact.Channel);
        Assert.Equal(voided.Rectification!.DueAt, voidedFact.RectificationDueAt);
        Assert.Null(voidedFact.RectifiedAt);
        Assert.False(found.Single(f => f.EvaluationId == first.Id).Voided);
        Assert.Equal(Start.AddDays(4), found.Single(f => f.EvaluationId == replied.Id).RectifiedAt);
    }

    [Theory]
    [MemberData(nameof(StoreTargets.BeyondTestServer), MemberType = typeof(StoreTargets))]
    public async Task Published_lists_leave_out_the_voided_newest_first_by_department_or_item(string target)
    {
        var store = await StoreTargets.CreateEvaluationStoreAsync(target);
        var reviews = Enumerable.Range(20, 5).Select(i => Review(i, item: i % 2 == 0 ? "542500-RSJ-20001" : "542500-RSJ-20002", minutes: i)).ToList();
        var voided = Review(30, minutes: 99) with { Appeal = new Appeal { Reason = "误评", AppealedBy = "rsj-1", AppealedAt = Start, State = AppealState.Upheld } };
        var otherDepartment = Review(31, department: "542500-FGW", item: "542500-FGW-01001", minutes: 100);
        foreach (var review in reviews.Append(voided).Append(otherDepartment))
        {
            await store.UpsertAsync(review, CancellationToken.None);
        }

        var first = await store.ListPublishedAsync("542500-RSJ", null, 3, null, CancellationToken.None);
        var second = await store.ListPublishedAsync("542500-RSJ", null, 3, first.ContinuationToken, CancellationToken.None);
        var item = await store.ListPublishedAsync("542500-RSJ", "542500-RSJ-20002", 10, null, CancellationToken.None);

        Assert.Equal(reviews.OrderByDescending(r => r.EvaluatedAt).Select(r => r.Id), first.Items.Concat(second.Items).Select(r => r.Id));
        Assert.Null(second.ContinuationToken);
        Assert.Equal(["00000000000000000000000000000017", "00000000000000000000000000000015"], item.Items.Select(r => r.Id));
    }

    [Theory]
    [MemberData(nameof(StoreTargets.BeyondTestServer), MemberType = typeof(StoreTargets))]
    public async Task Pending_appeals_of_every_department_are_listed_oldest_first_and_leave_once_decided(string target)
    {
        var store = await StoreTargets.CreateEvaluationStoreAsync(target);
        Evaluation Appealed(Evaluation review, AppealState state) => Bad(review) with
        {
            Version = 2,
            Appeal = new Appeal { Reason = "恶意差评", AppealedBy = "staff-1", AppealedAt = Start.AddDays(1), State = state },
        };
        var older = Appealed(Review(50, minutes: 1), AppealState.Pending);
        var newer = Appealed(Review(51, department: "542500-FGW", item: "542500-FGW-01001", minutes: 2), AppealState.Pending);
        var decided = Appealed(Review(52, minutes: 3), AppealState.Rejected);
        foreach (var review in new[] { newer, Review(53), decided, older })
        {
            await store.UpsertAsync(review, CancellationToken.None);
        }

        var first = await store.ListPendingAppealsAsync(1, null, CancellationToken.None);
        var second = await store.ListPendingAppealsAsync(1, first.ContinuationToken, CancellationToken.None);

        Assert.Equal([older.Id, newer.Id], first.Items.Concat(second.Items).Select(r => r.Id));
        await store.UpsertAsync(older with { Version = 3, Appeal = older.Appeal! with { State = AppealState.Upheld } }, CancellationToken.None);
        Assert.Equal([newer.Id], (await store.ListPendingAppealsAsync(10, null, CancellationToken.None)).Items.Select(r => r.Id));
    }
}
