using System.Text.Json;
using Ali.Serverless.Applications;
using Ali.Serverless.Catalog;
using Ali.Serverless.Common;
using Ali.Serverless.Functions.Queues;
using Ali.Serverless.Functions.Tests.Support;
using Ali.Serverless.Pipeline;
using Microsoft.Extensions.Logging;
using Moq;

namespace Ali.Serverless.Functions.Tests.Queues;

public class SubmissionReceiptTests
{
    private static readonly DateTimeOffset SubmittedAt = new(2026, 6, 1, 3, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ReceivedAt = SubmittedAt.AddMinutes(3);

    private readonly FakeTimeProvider _clock = new(ReceivedAt);
    private readonly Mock<IApplicationStore> _store = new(MockBehavior.Strict);
    private readonly Mock<ISubmissionQueue> _queue = new(MockBehavior.Strict);
    private readonly Mock<ILogger<SubmissionReceipt>> _logger = new();
    private readonly SubmissionReceipt _function;

    public SubmissionReceiptTests() =>
        _function = new SubmissionReceipt(new SubmissionDispatcher(_store.Object, _queue.Object, _clock), _logger.Object);

    private static readonly Application Submitted = new()
    {
        Id = "0192a7b3c4d5e6f70192a7b3c4d5e6f1",
        OwnerId = "applicant:user-7f3a",
        ItemCode = "542500-SCJGJ-001",
        DepartmentCode = "542500-SCJGJ",
        DivisionCode = "542500",
        Channel = Channel.Web,
        Applicant = new ApplicantIdentity(ApplicantKind.NaturalPerson, "542521199001011234", "卓玛", null),
        OpenedBy = "user-7f3a",
        OpenedByRole = "applicant",
        Status = ApplicationStatus.Submitted,
        CaseNumber = "542500-20260601-0123456789",
        CreatedAt = SubmittedAt.AddHours(-1),
        UpdatedAt = SubmittedAt,
        SubmittedAt = SubmittedAt,
        SubmissionQueuedAt = SubmittedAt,
    };

    private static string MessageFor(Application a) => JsonSerializer.Serialize(
        new ApplicationSubmitted(a.Id, a.OwnerId, a.CaseNumber!, a.ItemCode, a.DepartmentCode, a.SubmittedAt!.Value),
        DocumentJson.Options);

    private void StoreHolds(Application application, string etag = "\"etag-1\"") =>
        _store.Setup(s => s.GetAsync(application.OwnerId, application.Id, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Stored<Application>(application, etag));

    [Theory]
    [InlineData("{\"applicationId\":")]
    [InlineData("not json at all")]
    [InlineData("[1,2,3]")]
    [InlineData("\"a string\"")]
    public async Task Run_MalformedMessage_ReturnsWithoutThrowingLogsErrorAndNeverTouchesTheStore(string message)
    {
        await _function.Run(message, CancellationToken.None);

        _logger.VerifyLogged(LogLevel.Error, Times.Once());
        _store.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Run_JsonNullMessage_ReturnsWithoutThrowingAndLogsError()
    {
        await _function.Run("null", CancellationToken.None);

        _logger.VerifyLogged(LogLevel.Error, Times.Once());
        _store.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"caseNumber\":\"542500-20260601-0123456789\"}")]
    [InlineData("{\"applicationId\":\"0192a7b3c4d5e6f70192a7b3c4d5e6f1\"}")]
    public async Task Run_MessageWithoutApplicationOrOwnerId_IsDroppedAsMalformedWithoutTouchingTheStore(string message)
    {
        // Valid JSON, but no point read can be made from it: both stores throw on a null id or
        // partition, so without this check the message is retried five times and poisoned.
        await _function.Run(message, CancellationToken.None);

        _logger.VerifyLogged(LogLevel.Error, Times.Once());
        _store.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Run_UnknownApplication_ReturnsAndLogsAWarning()
    {
        _store.Setup(s => s.GetAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Stored<Application>?)null);

        await _function.Run(MessageFor(Submitted), CancellationToken.None);

        _logger.VerifyLogged(LogLevel.Warning, Times.Once());
        _logger.VerifyLogged(LogLevel.Error, Times.Never());
        _store.Verify(s => s.ReplaceAsync(It.IsAny<Application>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never());
    }

    [Fact]
    public async Task Run_StoreKeepsLosingTheETagRace_ThrowsSoTheQueueRetriesAndFinallyPoisonsIt()
    {
        StoreHolds(Submitted);
        _store.Setup(s => s.ReplaceAsync(It.IsAny<Application>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Stored<Application>?)null);

        await Assert.ThrowsAsync<InvalidOperationException>(() => _function.Run(MessageFor(Submitted), CancellationToken.None));

        _store.Verify(s => s.ReplaceAsync(It.IsAny<Application>(), "\"etag-1\"", It.IsAny<CancellationToken>()), Times.Exactly(5));
    }

    [Fact]
    public async Task Run_StoreLosesTheRaceOnceThenWins_RecordsTheReceiptWithoutThrowing()
    {
        StoreHolds(Submitted);
        _store.SetupSequence(s => s.ReplaceAsync(It.IsAny<Application>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Stored<Application>?)null)
            .ReturnsAsync(new Stored<Application>(Submitted with { ReviewReceivedAt = ReceivedAt }, "\"etag-2\""));

        await _function.Run(MessageFor(Submitted), CancellationToken.None);

        _store.Verify(s => s.ReplaceAsync(It.IsAny<Application>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
        _logger.VerifyLogged(LogLevel.Information, Times.Once());
    }

    [Fact]
    public async Task Run_ValidMessage_ReplacesTheApplicationOnceWithReviewReceivedAt()
    {
        StoreHolds(Submitted);
        Application? written = null;
        _store.Setup(s => s.ReplaceAsync(It.IsAny<Application>(), "\"etag-1\"", It.IsAny<CancellationToken>()))
            .Callback<Application, string, CancellationToken>((a, _, _) => written = a)
            .ReturnsAsync((Application a, string _, CancellationToken _) => new Stored<Application>(a, "\"etag-2\""));

        await _function.Run(MessageFor(Submitted), CancellationToken.None);

        _store.Verify(s => s.ReplaceAsync(It.IsAny<Application>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once());
        Assert.NotNull(written);
        Assert.Equal(ReceivedAt, written.ReviewReceivedAt);
        Assert.Equal(ReceivedAt, written.UpdatedAt);
        Assert.Equal(Submitted with { ReviewReceivedAt = ReceivedAt, UpdatedAt = ReceivedAt }, written);
        _logger.VerifyLogged(LogLevel.Information, Times.Once());
        _logger.VerifyLogged(LogLevel.Error, Times.Never());
        _queue.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Run_DuplicateMessageAfterReceipt_WritesNothing()
    {
        StoreHolds(Submitted with { ReviewReceivedAt = SubmittedAt.AddMinutes(1) });

        await _function.Run(MessageFor(Submitted), CancellationToken.None);

        _store.Verify(s => s.ReplaceAsync(It.IsAny<Application>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never());
        _logger.VerifyLogged(LogLevel.Error, Times.Never());
    }
}
