using System.Text.Json;
using Ali.Serverless.Applications;
using Ali.Serverless.Cases;
using Ali.Serverless.Catalog;
using Ali.Serverless.Common;
using Ali.Serverless.Functions.Queues;
using Ali.Serverless.Operations;
using Ali.Serverless.Pipeline;
using Ali.Serverless.Storage;
using Ali.Serverless.Supervision;
using Ali.Serverless.WorkingDays;
using Microsoft.Extensions.Logging;
using Moq;

namespace Ali.Serverless.Functions.Tests.Queues;

/// <summary>The pre-check trigger: malformed and orphan messages are moved aside, failures retried.</summary>
public class SubmissionPreCheckTests
{
    private readonly Mock<IApplicationStore> _store = new(MockBehavior.Strict);
    private readonly Mock<IPoisonQueue> _poison = new();
    private readonly SubmissionPreCheck _function;

    public SubmissionPreCheckTests()
    {
        var calendar = new Mock<IWorkingCalendar>();
        var clock = TimeProvider.System;
        var queue = new Mock<IWorkQueue>();
        var raiser = new WarningRaiser(new Mock<IWarningStore>().Object, queue.Object, clock);
        var outbox = new CaseOutbox(_store.Object, new Mock<ITaskStore>().Object, new Mock<ICaseIndex>().Object, new Mock<IDepartmentTaskPublisher>().Object,
            new DepartmentSystemOptions(new HashSet<string>(), new Uri("http://127.0.0.1:7071")), queue.Object, raiser, new Mock<Ali.Serverless.Audit.IAuditLog>().Object,
            new Ali.Serverless.Licences.LicenceService(new Mock<Ali.Serverless.Licences.ILicenceStore>().Object, new Mock<Ali.Serverless.Licences.ILicenceKeyRing>().Object, new Mock<Ali.Serverless.Audit.IAuditLog>().Object, clock), clock);
        var workflow = new CaseWorkflow(_store.Object, new Mock<ICatalogStore>().Object, new Mock<ITaskStore>().Object, new Mock<ICaseIndex>().Object,
            calendar.Object, outbox, new Mock<Ali.Serverless.Audit.IAuditLog>().Object, clock, new WorkflowOptions());
        _function = new SubmissionPreCheck(workflow, _poison.Object, new Mock<ILogger<SubmissionPreCheck>>().Object);
    }

    private static string Message(string applicationId = "0192a7b3c4d5e6f70192a7b3c4d5e6f1", string ownerId = "applicant:user-1") =>
        JsonSerializer.Serialize(new ApplicationSubmitted(applicationId, ownerId, "542500-20260601-0123456789", "542500-FGW-01001", "542500-FGW", DateTimeOffset.UnixEpoch), DocumentJson.Options);

    [Theory]
    [InlineData("{\"applicationId\":")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"applicationId\":\"../../x\",\"ownerId\":\"applicant:a\"}")]
    [InlineData("{\"applicationId\":\"0192a7b3c4d5e6f70192a7b3c4d5e6f1\"}")]
    public async Task MalformedMessage_IsMovedToThePoisonQueueUnchanged_AndTheStoreIsNotTouched(string message)
    {
        await _function.Run(message, CancellationToken.None);

        _poison.Verify(p => p.MoveAsideAsync(StorageNames.ApplicationSubmittedQueue, message, It.IsAny<CancellationToken>()), Times.Once);
        _store.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task MessageForAnUnknownApplication_IsMovedAside()
    {
        _store.Setup(s => s.GetAsync("applicant:user-1", "0192a7b3c4d5e6f70192a7b3c4d5e6f1", It.IsAny<CancellationToken>())).ReturnsAsync((Stored<Application>?)null);

        await _function.Run(Message(), CancellationToken.None);

        _poison.Verify(p => p.MoveAsideAsync(StorageNames.ApplicationSubmittedQueue, Message(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task StoreFailure_Throws_SoTheQueueRetriesIt()
    {
        _store.Setup(s => s.GetAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new IOException("store down"));

        await Assert.ThrowsAsync<IOException>(() => _function.Run(Message(), CancellationToken.None));

        _poison.VerifyNoOtherCalls();
    }
}
