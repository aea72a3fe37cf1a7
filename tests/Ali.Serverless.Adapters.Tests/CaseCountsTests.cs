using Ali.Serverless.Adapters.Azure.Cosmos;
using Ali.Serverless.Adapters.Sqlite;
using Ali.Serverless.Applications;
using Ali.Serverless.Operations;
using Ali.Serverless.Storage;
using Microsoft.Azure.Cosmos;
using Moq;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>The grouped count behind the ali.cases.current gauge, on SQLite and on Cosmos DB (cosmosdb-server or a real account).</summary>
public sealed class CaseCountsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 2, 0, 0, TimeSpan.Zero);

    private static async Task<(IApplicationStore Applications, ICaseCounts Counts)> CreateAsync(string target)
    {
        if (target == StoreTargets.Sqlite)
        {
            var database = new SqliteDatabase(Path.Combine(Path.GetTempPath(), $"ali-contract-{Guid.NewGuid():N}.db"));
            return (new SqliteApplicationStore(database, TestKeys.Protector), new SqliteCaseCounts(database));
        }
        var db = (await StoreTargets.CosmosClient().CreateDatabaseIfNotExistsAsync(TestEnvironment.UniqueName("contract-"))).Database;
        var container = (await db.CreateContainerIfNotExistsAsync(StorageNames.ApplicationsContainer, StorageNames.ApplicationsPartitionKeyPath)).Container;
        return (new CosmosApplicationStore(container, TestKeys.Protector), new CosmosCaseCounts(container));
    }

    /// <summary>
    /// SQLite always; Cosmos DB only on a real account: cosmosdb-server refuses the query ("missing partition keys": it
    /// takes only queries whose text names the partition key, or marked cross-partition, which the SDK's aggregate
    /// path does not) and has no GROUP BY. The Cosmos query's text and summing are checked below with Moq.
    /// </summary>
    [Theory]
    [MemberData(nameof(StoreTargets.BeyondTestServer), MemberType = typeof(StoreTargets))]
    public async Task Counts_EachState_AcrossOwners_AndFollowsAChange(string target)
    {
        var (applications, counts) = await CreateAsync(target);
        Assert.Empty(await counts.CountByStatusAsync(default));

        var states = new[]
        {
            ("applicant:a", ApplicationStatus.Draft), ("applicant:b", ApplicationStatus.Draft), ("hall:542521", ApplicationStatus.Draft),
            ("applicant:a", ApplicationStatus.PendingAcceptance), ("applicant:c", ApplicationStatus.PendingAcceptance),
            ("hall:542521", ApplicationStatus.UnderReview), ("applicant:b", ApplicationStatus.Completed),
        };
        var made = new List<Application>();
        foreach (var (owner, status) in states)
        {
            var application = TestData.Application(owner, T0) with { Status = status };
            await applications.CreateAsync(application, default);
            made.Add(application);
        }

        var counted = await counts.CountByStatusAsync(default);
        Assert.Equal(
            new Dictionary<ApplicationStatus, long>
            {
                [ApplicationStatus.Draft] = 3, [ApplicationStatus.PendingAcceptance] = 2, [ApplicationStatus.UnderReview] = 1, [ApplicationStatus.Completed] = 1,
            },
            counted);

        // A case moving on moves one from its old state to its new one.
        var under = made[5];
        var stored = await applications.GetAsync(under.OwnerId, under.Id, default);
        await applications.ReplaceAsync(stored!.Value with { Status = ApplicationStatus.Completed }, stored.ETag, default);
        counted = await counts.CountByStatusAsync(default);
        Assert.False(counted.ContainsKey(ApplicationStatus.UnderReview));
        Assert.Equal(2, counted[ApplicationStatus.Completed]);
    }

    [Fact]
    public async Task Cosmos_AsksOneCountPerState_SumsWhatThePartitionsAnswer_AndLeavesOutEmptyStates()
    {
        var container = new Mock<Container>();
        var asked = new List<QueryDefinition>();
        container
            .Setup(c => c.GetItemQueryIterator<long>(It.IsAny<QueryDefinition>(), It.IsAny<string>(), It.IsAny<QueryRequestOptions>()))
            .Returns<QueryDefinition, string, QueryRequestOptions>((query, _, _) =>
            {
                asked.Add(query);
                var status = (string)query.GetQueryParameters().Single().Item2;
                long[] answer = status switch { "draft" => [2, 3], "completed" => [4], _ => [0] };
                var response = new Mock<FeedResponse<long>>();
                response.Setup(r => r.GetEnumerator()).Returns(() => ((IEnumerable<long>)answer).GetEnumerator());
                var iterator = new Mock<FeedIterator<long>>();
                iterator.SetupSequence(i => i.HasMoreResults).Returns(true).Returns(false);
                iterator.Setup(i => i.ReadNextAsync(It.IsAny<CancellationToken>())).ReturnsAsync(response.Object);
                return iterator.Object;
            });

        var counted = await new CosmosCaseCounts(container.Object).CountByStatusAsync(default);

        Assert.Equal(new Dictionary<ApplicationStatus, long> { [ApplicationStatus.Draft] = 5, [ApplicationStatus.Completed] = 4 }, counted);
        Assert.Equal(Enum.GetValues<ApplicationStatus>().Length, asked.Count);
        Assert.All(asked, q => Assert.Equal("SELECT VALUE COUNT(1) FROM c WHERE c.status = @status", q.QueryText));
    }
}
