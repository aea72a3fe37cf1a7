using Ali.Serverless.Adapters.Azure.Cosmos;
using Ali.Serverless.Applications;
using Microsoft.Azure.Cosmos;
using Moq;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>
/// What the Cosmos DB server stand-in cannot show: the query text and that hot-path queries are
/// scoped to one partition.
/// </summary>
public sealed class CosmosQueryTests
{
    [Fact]
    public async Task ListByOwner_IsASinglePartitionQuery_NewestFirst_WithPageSizeAndContinuation()
    {
        var container = new Mock<Container>();
        QueryDefinition? query = null;
        string? token = null;
        QueryRequestOptions? options = null;
        var response = new Mock<FeedResponse<Application>>();
        response.Setup(r => r.GetEnumerator()).Returns(new List<Application>().GetEnumerator());
        response.SetupGet(r => r.ContinuationToken).Returns("next");
        var iterator = new Mock<FeedIterator<Application>>();
        iterator.Setup(i => i.ReadNextAsync(It.IsAny<CancellationToken>())).ReturnsAsync(response.Object);
        container
            .Setup(c => c.GetItemQueryIterator<Application>(It.IsAny<QueryDefinition>(), It.IsAny<string>(), It.IsAny<QueryRequestOptions>()))
            .Callback<QueryDefinition, string, QueryRequestOptions>((q, t, o) => (query, token, options) = (q, t, o))
            .Returns(iterator.Object);

        var page = await new CosmosApplicationStore(container.Object, TestKeys.Protector).ListByOwnerAsync("applicant:a", 7, "previous", default);

        Assert.Equal("SELECT * FROM c WHERE c.ownerId = @ownerId ORDER BY c.createdAt DESC", query!.QueryText);
        Assert.Equal(("@ownerId", (object)"applicant:a"), query.GetQueryParameters().Single());
        Assert.Equal(new PartitionKey("applicant:a"), options!.PartitionKey);
        Assert.Equal(7, options.MaxItemCount);
        Assert.Equal("previous", token);
        Assert.Equal("next", page.ContinuationToken);
    }

    [Fact]
    public async Task Get_IsAPointRead_InTheOwnersPartition()
    {
        var container = new Mock<Container>();
        container
            .Setup(c => c.ReadItemAsync<Application>("id1", new PartitionKey("hall:542521"), null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new CosmosException("missing", System.Net.HttpStatusCode.NotFound, 0, "", 0));

        var result = await new CosmosApplicationStore(container.Object, TestKeys.Protector).GetAsync("hall:542521", "id1", default);

        Assert.Null(result);
        container.Verify(c => c.ReadItemAsync<Application>("id1", new PartitionKey("hall:542521"), null, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Replace_SendsTheETagAsIfMatch()
    {
        var container = new Mock<Container>();
        ItemRequestOptions? options = null;
        container
            .Setup(c => c.ReplaceItemAsync(It.IsAny<System.Text.Json.Nodes.JsonObject>(), It.IsAny<string>(), It.IsAny<PartitionKey?>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .Callback<System.Text.Json.Nodes.JsonObject, string, PartitionKey?, ItemRequestOptions, CancellationToken>((_, _, _, o, _) => options = o)
            .ThrowsAsync(new CosmosException("changed", System.Net.HttpStatusCode.PreconditionFailed, 0, "", 0));
        var application = TestData.Application("applicant:a", DateTimeOffset.UnixEpoch);

        var result = await new CosmosApplicationStore(container.Object, TestKeys.Protector).ReplaceAsync(application, "\"etag-1\"", default);

        Assert.Null(result);
        Assert.Equal("\"etag-1\"", options!.IfMatchEtag);
    }

    [Fact]
    public void PublishedReviews_StayInTheDepartmentsPartition_WithoutTheVoided_NewestFirst()
    {
        var query = CosmosEvaluationStore.BuildPublishedQuery("542500-RSJ", "542500-RSJ-20001");

        Assert.Equal("SELECT * FROM c WHERE c.departmentCode = @department AND c.voided = false AND c.itemCode = @item ORDER BY c.evaluatedAtTicks DESC", query.QueryText);
        Assert.Contains(("@item", (object)"542500-RSJ-20001"), query.GetQueryParameters());
    }

    [Fact]
    public void PendingAppeals_AreTheAppealedReviewsOfEveryDepartment_OldestFirst()
    {
        Assert.Equal("SELECT * FROM c WHERE c.appeal.state = 'pending' ORDER BY c.evaluatedAtTicks", CosmosEvaluationStore.BuildPendingAppealsQuery().QueryText);
    }

    [Fact]
    public void ReviewFacts_AreThePeriodsReviews_VoidedIncluded()
    {
        var from = new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var query = CosmosEvaluationStore.BuildPeriodQuery(from, from.AddMonths(1));

        Assert.Equal("SELECT * FROM c WHERE c.evaluatedAtTicks >= @from AND c.evaluatedAtTicks < @to", query.QueryText);
        Assert.Contains(("@from", (object)from.UtcTicks), query.GetQueryParameters());
        Assert.Contains(("@to", (object)from.AddMonths(1).UtcTicks), query.GetQueryParameters());
    }

    [Fact]
    public void Worklist_StaysInTheDepartmentsPartition_OpenTasksSoonestDueFirst()
    {
        var query = CosmosTaskStore.BuildWorklistQuery("542500-FGW", Ali.Serverless.Cases.TaskKind.Review);

        Assert.Equal("SELECT * FROM c WHERE c.departmentCode = @department AND c.state = 'open' AND c.kind = @kind ORDER BY c.dueAtTicks", query.QueryText);
        Assert.Contains(("@kind", (object)"review"), query.GetQueryParameters());
    }

    [Fact]
    public void ApplicationDocument_CarriesTheQueryFieldsOfTheOutboxAndTheSoonerLimit()
    {
        var now = new DateTimeOffset(2026, 3, 10, 2, 30, 0, TimeSpan.Zero);
        var promised = new DateTimeOffset(2026, 3, 25, 0, 0, 0, TimeSpan.FromHours(8));
        var application = TestData.Application("applicant:a", now) with
        {
            Status = ApplicationStatus.UnderReview,
            UpdatedAt = now,
            PromisedDueAt = promised,
            LegalDueAt = promised.AddDays(10),
            Outbox = [new Ali.Serverless.Cases.OutboxEntry("e1", Ali.Serverless.Cases.OutboxKind.CaseEvent, now, EventType: "accepted")],
        };

        var document = CosmosApplicationStore.ToDocument(application);

        Assert.Equal(now.UtcTicks, (long)document[CosmosApplicationStore.OutboxSinceField]!);
        Assert.Equal(promised.UtcTicks, (long)document[CosmosApplicationStore.ReviewDueField]!);
        Assert.Null(CosmosApplicationStore.ToDocument(application with { Outbox = [], Status = ApplicationStatus.Completed })[CosmosApplicationStore.OutboxSinceField]);
    }

    [Fact]
    public void RetentionQueries_CompareTheTicksFieldsTheDocumentCarries()
    {
        var before = new DateTimeOffset(2026, 3, 10, 2, 30, 0, TimeSpan.Zero);

        var query = CosmosApplicationStore.BuildTicksBeforeQuery(CosmosApplicationStore.DraftSinceField, before, 50);

        Assert.Equal("SELECT TOP @max * FROM c WHERE c.draftSinceTicks != null AND c.draftSinceTicks < @before", query.QueryText);
        Assert.Contains(("@before", (object)before.UtcTicks), query.GetQueryParameters());
        Assert.Contains(("@max", (object)50), query.GetQueryParameters());
        var draft = TestData.Application("applicant:a", before);
        Assert.Equal(before.UtcTicks, (long)CosmosApplicationStore.ToDocument(draft)[CosmosApplicationStore.DraftSinceField]!);
        Assert.Equal(37 * 24 * 3600, (int)CosmosApplicationStore.ToDocument(draft)[CosmosApplicationStore.TimeToLiveField]!);
        var withdrawnCase = draft with { Status = ApplicationStatus.Withdrawn, CaseNumber = "542500-20260310-0123456789" };
        Assert.Equal(before.UtcTicks, (long)CosmosApplicationStore.ToDocument(withdrawnCase)[CosmosApplicationStore.EndedAtField]!);
        Assert.False(CosmosApplicationStore.ToDocument(withdrawnCase).ContainsKey(CosmosApplicationStore.TimeToLiveField));
    }

    [Fact]
    public void CatalogList_StaysInTheCatalogPartition_AndFiltersByParameters()
    {
        var query = CosmosCatalogStore.BuildListQuery("542500-RSJ", "01");

        Assert.Equal("SELECT * FROM c WHERE c.partitionKey = @partition AND c.departmentCode = @department AND c.itemType = @itemType", query.QueryText);
        Assert.Contains(("@department", (object)"542500-RSJ"), query.GetQueryParameters());
    }

    [Fact]
    public void AwaitingDispatch_ComparesDatesInTheStoredTextForm()
    {
        var query = CosmosApplicationStore.BuildAwaitingDispatchQuery(new DateTimeOffset(2026, 11, 28, 1, 2, 3, TimeSpan.FromHours(8)), 50);

        Assert.Contains("IS_NULL(c.submissionQueuedAt)", query.QueryText, StringComparison.Ordinal);
        Assert.Contains(("@before", (object)"2026-11-27T17:02:03+00:00"), query.GetQueryParameters());
    }

    [Fact]
    public void ByApplicantKey_IsOneEqualityOnTheKeyedHash_AcrossOwners_Bounded()
    {
        var query = CosmosApplicationStore.BuildByApplicantKeyQuery("ab12", 50);

        Assert.Equal("SELECT TOP @max * FROM c WHERE c.applicantKey = @key", query.QueryText);
        Assert.Equal([("@max", (object)50), ("@key", "ab12")], query.GetQueryParameters());
    }

    [Fact]
    public void UnderOtherKey_FindsOlderVersions_AndDocumentsWithoutOne()
    {
        var query = CosmosApplicationStore.BuildUnderOtherKeyQuery("v2", 100);

        Assert.Equal("SELECT TOP @max * FROM c WHERE IS_NULL(c.personalDataKeyId) OR NOT IS_DEFINED(c.personalDataKeyId) OR c.personalDataKeyId != @current", query.QueryText);
        Assert.Equal([("@max", (object)100), ("@current", "v2")], query.GetQueryParameters());
    }

    [Fact]
    public async Task TheStoredDocument_CarriesTheKeyVersionBesideTheDataKey_AndNoPlainNumber()
    {
        var container = new Mock<Container>();
        System.Text.Json.Nodes.JsonObject? written = null;
        container
            .Setup(c => c.CreateItemAsync(It.IsAny<System.Text.Json.Nodes.JsonObject>(), It.IsAny<PartitionKey?>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .Callback<System.Text.Json.Nodes.JsonObject, PartitionKey?, ItemRequestOptions, CancellationToken>((d, _, _, _) => written = d)
            .ReturnsAsync(new Mock<ItemResponse<System.Text.Json.Nodes.JsonObject>>().Object);
        var application = TestData.Application("applicant:a", DateTimeOffset.UnixEpoch);

        await new CosmosApplicationStore(container.Object, TestKeys.Protector).CreateAsync(application, default);

        Assert.Equal((await TestKeys.Files.GetCurrentAsync(default)).Id, (string?)written![CosmosApplicationStore.KeyIdField]);
        Assert.Equal(await TestKeys.ApplicantKeys.ForAsync(ApplicantKind.NaturalPerson, application.Applicant.DocumentNumber, default), (string?)written["applicantKey"]);
        Assert.DoesNotContain(application.Applicant.DocumentNumber, written.ToJsonString());
        Assert.DoesNotContain(application.Applicant.Phone!, written.ToJsonString());
    }

    [Fact]
    public void AClaimedSmsNotYetAccepted_CarriesTheTimeOfItsClaim_AndNoOtherNotificationDoes()
    {
        var sms = new Ali.Serverless.Notifications.Notification
        {
            Id = "n1", Recipient = "applicant:a", Channel = Ali.Serverless.Notifications.NotificationChannel.Sms, Event = "accepted", SourceId = "e1",
            CaseNumber = "542500-20260310-ABCDEF0123", ApplicationId = "a1", OwnerId = "applicant:a", TemplateId = "accepted.applicant",
            TemplateVersion = 1, Language = "zh", Title = "t", Body = "b", Status = Ali.Serverless.Notifications.NotificationStatuses.Sending,
            CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch.AddMinutes(3),
        };

        var claimed = CosmosNotificationStore.ToDocument(sms);
        var accepted = CosmosNotificationStore.ToDocument(sms with { SentAt = DateTimeOffset.UnixEpoch.AddMinutes(3), ProviderMessageId = "p1" });
        var created = CosmosNotificationStore.ToDocument(sms with { Status = Ali.Serverless.Notifications.NotificationStatuses.Created });

        Assert.Equal(DateTimeOffset.UnixEpoch.AddMinutes(3).UtcTicks, (long?)claimed[CosmosNotificationStore.ClaimedTicksField]);
        Assert.Null(accepted[CosmosNotificationStore.ClaimedTicksField]);
        Assert.Null(created[CosmosNotificationStore.ClaimedTicksField]);
    }

    [Fact]
    public async Task AuditRange_IsASinglePartitionQuery_FromTheSequence_InOrder_AtMostTheCount()
    {
        var container = new Mock<Container>();
        QueryDefinition? query = null;
        QueryRequestOptions? options = null;
        var response = new Mock<FeedResponse<System.Text.Json.Nodes.JsonObject>>();
        response.Setup(r => r.GetEnumerator()).Returns(new List<System.Text.Json.Nodes.JsonObject>().GetEnumerator());
        var iterator = new Mock<FeedIterator<System.Text.Json.Nodes.JsonObject>>();
        iterator.SetupSequence(i => i.HasMoreResults).Returns(true).Returns(false);
        iterator.Setup(i => i.ReadNextAsync(It.IsAny<CancellationToken>())).ReturnsAsync(response.Object);
        container
            .Setup(c => c.GetItemQueryIterator<System.Text.Json.Nodes.JsonObject>(It.IsAny<QueryDefinition>(), It.IsAny<string>(), It.IsAny<QueryRequestOptions>()))
            .Callback<QueryDefinition, string, QueryRequestOptions>((q, _, o) => (query, options) = (q, o))
            .Returns(iterator.Object);

        var records = await new CosmosAuditStore(container.Object).ReadChainAsync("542500-20260601-0000000001", 200, 101, default);

        Assert.Empty(records);
        Assert.Equal("SELECT TOP 101 * FROM c WHERE c.chain = @chain AND c.sequence >= @from ORDER BY c.sequence", query!.QueryText);
        Assert.Equal([("@from", (object)200L), ("@chain", "542500-20260601-0000000001")], query.GetQueryParameters());
        Assert.Equal(new PartitionKey("542500-20260601-0000000001"), options!.PartitionKey);
        Assert.Equal(101, options.MaxItemCount);
    }

    [Theory]
    [InlineData(System.Net.HttpStatusCode.OK, true)]
    [InlineData(System.Net.HttpStatusCode.NotFound, false)]
    public async Task ApplicationExists_IsAStreamPointReadInTheOwnersPartition_AndNotFoundIsFalse(System.Net.HttpStatusCode status, bool exists)
    {
        var container = new Mock<Container>();
        container
            .Setup(c => c.ReadItemStreamAsync("app-1", new PartitionKey("applicant:a"), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ResponseMessage(status));

        Assert.Equal(exists, await new CosmosApplicationStore(container.Object, TestKeys.Protector).ExistsAsync("applicant:a", "app-1", default));
        // Nothing was deserialized: no typed read was made.
        container.Verify(c => c.ReadItemAsync<Application>(It.IsAny<string>(), It.IsAny<PartitionKey>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ApplicationExists_AnyOtherFailure_IsNotAnAnswer()
    {
        var container = new Mock<Container>();
        container
            .Setup(c => c.ReadItemStreamAsync(It.IsAny<string>(), It.IsAny<PartitionKey>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable));

        await Assert.ThrowsAsync<CosmosException>(() => new CosmosApplicationStore(container.Object, TestKeys.Protector).ExistsAsync("applicant:a", "app-1", default));
    }
}
