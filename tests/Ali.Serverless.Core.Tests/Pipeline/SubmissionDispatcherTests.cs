using Ali.Serverless.Applications;
using Ali.Serverless.Catalog;
using Ali.Serverless.Common;
using Ali.Serverless.Core.Tests.Support;
using Ali.Serverless.Pipeline;
using Moq;

namespace Ali.Serverless.Core.Tests.Pipeline;

public class SubmissionDispatcherTests
{
    private static readonly DateTimeOffset SubmittedAt = new(2026, 6, 1, 3, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(SubmittedAt);
    private readonly InMemoryApplicationStore _store = new();
    private readonly Mock<ISubmissionQueue> _queue = new();
    private readonly SubmissionDispatcher _dispatcher;

    public SubmissionDispatcherTests() => _dispatcher = new SubmissionDispatcher(_store, _queue.Object, _clock);

    private static Application Submitted(string id, DateTimeOffset? queuedAt = null) => new()
    {
        Id = id,
        OwnerId = "applicant:user-7f3a",
        ItemCode = TestCatalog.PersonItemCode,
        DepartmentCode = "542500-SCJGJ",
        DivisionCode = "542500",
        Channel = Channel.Web,
        Applicant = new ApplicantIdentity(ApplicantKind.NaturalPerson, IntakeHarness.ValidResidentId, "卓玛", null),
        OpenedBy = "user-7f3a",
        OpenedByRole = "applicant",
        Status = ApplicationStatus.Submitted,
        CaseNumber = "542500-20260601-0123456789",
        CreatedAt = SubmittedAt.AddHours(-1),
        UpdatedAt = SubmittedAt,
        SubmittedAt = SubmittedAt,
        SubmissionQueuedAt = queuedAt,
    };

    private static ApplicationSubmitted MessageFor(Application a) =>
        new(a.Id, a.OwnerId, a.CaseNumber!, a.ItemCode, a.DepartmentCode, a.SubmittedAt!.Value);

    [Fact]
    public async Task Relay_WithinTheGrace_LeavesTheSubmissionToItsOwnSender()
    {
        _store.Seed(Submitted("0192a7b3c4d5e6f70192a7b3c4d5e6f1"));
        _clock.Advance(SubmissionDispatcher.RelayGrace - TimeSpan.FromSeconds(1));

        var sent = await _dispatcher.RelayAsync(10, CancellationToken.None);

        Assert.Equal(0, sent);
        _queue.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Relay_AfterTheGrace_SendsEachUnsentSubmissionOnceAndMarksIt()
    {
        var unsent = Submitted("0192a7b3c4d5e6f70192a7b3c4d5e6f1");
        _store.Seed(unsent);
        _store.Seed(Submitted("0192a7b3c4d5e6f70192a7b3c4d5e6f2", queuedAt: SubmittedAt));
        _clock.Advance(SubmissionDispatcher.RelayGrace + TimeSpan.FromSeconds(1));

        var first = await _dispatcher.RelayAsync(10, CancellationToken.None);
        var second = await _dispatcher.RelayAsync(10, CancellationToken.None);

        Assert.Equal(1, first);
        Assert.Equal(0, second);
        _queue.Verify(q => q.EnqueueAsync(MessageFor(unsent), It.IsAny<CancellationToken>()), Times.Once);
        _queue.VerifyNoOtherCalls();
        Assert.Equal(_clock.Now, _store.Single(unsent.OwnerId, unsent.Id).SubmissionQueuedAt);
    }

    [Fact]
    public async Task Relay_AsksTheStoreForSubmissionsOlderThanTheGrace()
    {
        var store = new Mock<IApplicationStore>();
        store.Setup(s => s.ListAwaitingDispatchAsync(It.IsAny<DateTimeOffset>(), It.IsAny<int>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);

        await new SubmissionDispatcher(store.Object, _queue.Object, _clock).RelayAsync(25, CancellationToken.None);

        store.Verify(s => s.ListAwaitingDispatchAsync(SubmittedAt - SubmissionDispatcher.RelayGrace, 25, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Dispatch_WhenMarkingMeetsAConcurrentWrite_RereadsAndStillMarks()
    {
        var stored = _store.Seed(Submitted("0192a7b3c4d5e6f70192a7b3c4d5e6f1"));
        _store.BeforeReplace = a => { _store.BeforeReplace = null; _store.Touch(a.OwnerId, a.Id); };

        var result = await _dispatcher.DispatchAsync(stored, CancellationToken.None);

        Assert.Equal(_clock.Now, result.SubmissionQueuedAt);
        Assert.Equal(_clock.Now, _store.Single(stored.Value.OwnerId, stored.Value.Id).SubmissionQueuedAt);
        _queue.Verify(q => q.EnqueueAsync(It.IsAny<ApplicationSubmitted>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Dispatch_AlreadyQueued_SendsNothing()
    {
        var stored = _store.Seed(Submitted("0192a7b3c4d5e6f70192a7b3c4d5e6f1", queuedAt: SubmittedAt));

        await _dispatcher.DispatchAsync(stored, CancellationToken.None);

        _queue.VerifyNoOtherCalls();
    }

}
