using Ali.Serverless.Notifications;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>
/// The applicant's lists read with one statement per combination of filters, and the first page without the keyset
/// condition (decision 26): every combination, walked page by page at several sizes, gives exactly what a plain filter
/// and sort of everything written gives, ties on the creation time included.
/// </summary>
public sealed class ListStatementTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 6, 0, 0, TimeSpan.Zero);
    private const string Recipient = "applicant:citizen-1";
    private const string CaseA = "0192a7b3c4d5e6f70192a7b3c4d5e6f1";
    private const string CaseB = "1192a7b3c4d5e6f70192a7b3c4d5e6f1";

    private static Notification Note(int i) => new()
    {
        Id = $"n{i:D2}",
        Recipient = i % 7 == 6 ? "applicant:citizen-2" : Recipient,
        Channel = i % 3 == 0 ? NotificationChannel.Sms : NotificationChannel.Inbox,
        Event = "accepted",
        SourceId = $"event-{i}",
        CaseNumber = "542500-20261129-ABCDEF0123",
        ApplicationId = i % 2 == 0 ? CaseA : CaseB,
        OwnerId = Recipient,
        TemplateId = "accepted.applicant",
        TemplateVersion = 1,
        Language = "zh",
        Title = "申请已受理",
        Body = "您的办件已受理。",
        Status = NotificationStatuses.Delivered,
        // Every third pair shares its creation time, so the id decides the order between them.
        CreatedAt = T0.AddMinutes(i / 2),
        UpdatedAt = T0.AddMinutes(i / 2),
        ReadAt = i % 4 == 1 ? T0.AddHours(1) : null,
    };

    // SQLite only: the Cosmos DB test server cannot do this (StoreTargets), and a case that runs only against a real
    // account never runs here; the Cosmos side is CosmosQueryTests'.
    [Fact]
    public async Task Notifications_EveryFilterCombination_AndPageSize_ListExactlyWhatMatches()
    {
        var store = (await StoreTargets.CreateCaseStoresAsync(StoreTargets.Sqlite)).Notifications;
        var written = Enumerable.Range(0, 20).Select(Note).ToList();
        foreach (var note in written)
        {
            await store.CreateAsync(note, default);
        }

        foreach (var channel in new NotificationChannel?[] { null, NotificationChannel.Inbox, NotificationChannel.Sms })
        {
            foreach (var unread in new[] { false, true })
            {
                foreach (var application in new[] { null, CaseA, CaseB })
                {
                    var query = new NotificationQuery(channel, unread, application);
                    var expected = written
                        .Where(n => n.Recipient == Recipient && (channel is null || n.Channel == channel) && (!unread || n.ReadAt is null)
                            && (application is null || n.ApplicationId == application))
                        .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id, StringComparer.Ordinal)
                        .Select(n => n.Id).ToList();
                    foreach (var size in new[] { 1, 2, 5, 50 })
                    {
                        var listed = new List<string>();
                        string? token = null;
                        do
                        {
                            var page = await store.ListAsync(Recipient, query, size, token, default);
                            Assert.True(page.Items.Count <= size);
                            listed.AddRange(page.Items.Select(n => n.Id));
                            token = page.ContinuationToken;
                        }
                        while (token is not null);
                        Assert.True(expected.SequenceEqual(listed), $"{query} by {size}: [{string.Join(",", listed)}], expected [{string.Join(",", expected)}]");
                    }
                }
            }
        }
    }

    // SQLite only: the Cosmos DB test server cannot do this (StoreTargets), and a case that runs only against a real
    // account never runs here; the Cosmos side is CosmosQueryTests'.
    [Fact]
    public async Task Applications_FirstAndLaterPages_ListExactlyTheOwnersNewestFirst()
    {
        var (_, applications) = await StoreTargets.CreateAsync(StoreTargets.Sqlite);
        var written = Enumerable.Range(0, 9)
            .Select(i => TestData.Application(i % 4 == 3 ? "applicant:b" : "applicant:a", T0.AddMinutes(i / 2), $"{i:D2}92a7b3c4d5e6f70192a7b3c4d5e6f1"))
            .ToList();
        foreach (var application in written)
        {
            await applications.CreateAsync(application, default);
        }
        var expected = written.Where(a => a.OwnerId == "applicant:a")
            .OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id, StringComparer.Ordinal).Select(a => a.Id).ToList();

        foreach (var size in new[] { 1, 2, 3, 50 })
        {
            var listed = new List<string>();
            string? token = null;
            do
            {
                var page = await applications.ListByOwnerAsync("applicant:a", size, token, default);
                listed.AddRange(page.Items.Select(a => a.Id));
                // The answer's fields come back decrypted, as before.
                Assert.All(page.Items, a => Assert.Equal("11010519491231002X", a.Applicant.DocumentNumber));
                token = page.ContinuationToken;
            }
            while (token is not null);
            Assert.Equal(expected, listed);
        }
    }

    private static Ali.Serverless.Evaluations.Evaluation Review(int i) => new()
    {
        Id = $"{i:x32}",
        ApplicationId = $"{i + 1000:x32}",
        OwnerId = $"applicant:citizen-{i}",
        CaseNumber = $"542500-20260701-{i:X10}",
        ItemCode = i % 3 == 0 ? "542500-RSJ-20002" : "542500-RSJ-20001",
        DepartmentCode = i % 5 == 4 ? "542500-FGW" : "542500-RSJ",
        DivisionCode = "542500",
        Channel = Ali.Serverless.Evaluations.EvaluationChannels.Online,
        Satisfaction = 1,
        Indicators = new Dictionary<string, int> { ["efficiency"] = 1 },
        PublicText = "好",
        // Pairs share their time, so the id decides the order between them; every seventh is voided by an upheld appeal.
        EvaluatedAt = T0.AddMinutes(i / 2),
        RecordedBy = $"citizen-{i}",
        RecordedByRole = "applicant",
        Appeal = i % 7 == 5
            ? new Ali.Serverless.Evaluations.Appeal { Reason = "误评", AppealedBy = "rsj-1", AppealedAt = T0, State = Ali.Serverless.Evaluations.AppealState.Upheld }
            : null,
    };

    [Fact]
    public async Task PublishedReviews_ByDepartmentOrItem_FirstAndLaterPages_ListExactlyTheUnvoidedNewestFirst()
    {
        var store = await StoreTargets.CreateEvaluationStoreAsync(StoreTargets.Sqlite);
        var written = Enumerable.Range(0, 30).Select(Review).ToList();
        foreach (var review in written)
        {
            await store.UpsertAsync(review, default);
        }

        foreach (var item in new string?[] { null, "542500-RSJ-20001", "542500-RSJ-20002", "542500-RSJ-99999" })
        {
            var expected = written
                .Where(r => r.DepartmentCode == "542500-RSJ" && (item is null || r.ItemCode == item) && r.Appeal is null)
                .OrderByDescending(r => r.EvaluatedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal).Select(r => r.Id).ToList();
            foreach (var size in new[] { 1, 2, 3, 50 })
            {
                var listed = new List<string>();
                string? token = null;
                do
                {
                    var page = await store.ListPublishedAsync("542500-RSJ", item, size, token, default);
                    listed.AddRange(page.Items.Select(r => r.Id));
                    token = page.ContinuationToken;
                }
                while (token is not null);
                Assert.Equal(expected, listed);
            }
        }
    }

    [Fact]
    public void PublishedReviews_AreReadInIndexOrder_WithoutSortingTheDepartment()
    {
        var path = SqliteTestFile.NewPath("plans");
        IReadOnlyList<(string Statement, string Plan)> plans;
        using (var database = new Ali.Serverless.Adapters.Sqlite.SqliteDatabase(path))
        {
            plans = new Ali.Serverless.Adapters.Sqlite.SqliteEvaluationStore(database).PublishedPlans();
        }
        SqliteTestFile.Remove(path);

        Assert.Equal(4, plans.Count);
        Assert.All(plans, p =>
        {
            Assert.DoesNotContain("TEMP B-TREE", p.Plan);
            Assert.Contains(p.Statement.Contains("$item", StringComparison.Ordinal) ? "evaluations_by_item" : "evaluations_by_department", p.Plan);
        });
    }
}
