using Ali.Serverless.PersonalData;
using Ali.Serverless.Applications;
using Ali.Serverless.Catalog;
using Ali.Serverless.Cases;
using Ali.Serverless.Functions.Queues;
using Ali.Serverless.Notifications;
using Ali.Serverless.Operations;
using Ali.Serverless.Storage;
using Microsoft.Extensions.Logging;
using Moq;

namespace Ali.Serverless.Functions.Tests.Queues;

/// <summary>The notification triggers move malformed messages aside and never touch a store for them.</summary>
public class NotificationTriggersTests
{
    private readonly Mock<INotificationStore> _store = new(MockBehavior.Strict);
    private readonly Mock<IApplicationStore> _applications = new(MockBehavior.Strict);
    private readonly Mock<IPoisonQueue> _poison = new();
    private readonly NotificationTriggers _triggers;

    public NotificationTriggersTests()
    {
        var options = new NotificationOptions { PhoneKeySecret = [1, 2, 3] };
        var templates = TemplateCatalog.Parse("""{"templates": []}""");
        var service = new NotificationService(_store.Object, new Mock<IPreferenceStore>().Object, _applications.Object, new Mock<ICatalogStore>().Object,
            new NotificationPlanner(templates, options), new Mock<ISmsGateway>(MockBehavior.Strict).Object, new Mock<IWorkQueue>().Object, TimeProvider.System, options,
            new LinkedApplications(_applications.Object, new ApplicantKeys(new Mock<IPersonalDataKeys>(MockBehavior.Strict).Object)));
        _triggers = new NotificationTriggers(service, _poison.Object, new Mock<ILogger<NotificationTriggers>>().Object);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("{\"eventId\":\"e\",\"type\":\"accepted\",\"applicationId\":\"x\",\"ownerId\":\"applicant:a\"}")]
    public async Task MalformedCaseEvent_IsMovedAside(string message)
    {
        await _triggers.CaseEvent(message, CancellationToken.None);

        _poison.Verify(p => p.MoveAsideAsync(StorageNames.CaseEventsQueue, message, It.IsAny<CancellationToken>()), Times.Once);
        _applications.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"recipient\":\"applicant:a\",\"notificationId\":\"../x\"}")]
    public async Task MalformedDeliveryRequest_IsMovedAside(string message)
    {
        await _triggers.Deliver(message, CancellationToken.None);

        _poison.Verify(p => p.MoveAsideAsync(StorageNames.NotificationDeliveriesQueue, message, It.IsAny<CancellationToken>()), Times.Once);
        _store.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task MalformedWarning_IsMovedAside()
    {
        await _triggers.Warning("{\"id\":\"w\"}", CancellationToken.None);

        _poison.Verify(p => p.MoveAsideAsync(StorageNames.SupervisionWarningsQueue, "{\"id\":\"w\"}", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task CaseEventForACaseThatIsGone_MakesNothing()
    {
        _applications.Setup(a => a.GetAsync("applicant:a", "0192a7b3c4d5e6f70192a7b3c4d5e6f1", It.IsAny<CancellationToken>())).ReturnsAsync((Stored<Application>?)null);
        var message = """{"eventId":"e1","type":"accepted","caseNumber":"c","applicationId":"0192a7b3c4d5e6f70192a7b3c4d5e6f1","ownerId":"applicant:a","status":"under-review","occurredAt":"2026-03-10T00:00:00Z"}""";

        await _triggers.CaseEvent(message, CancellationToken.None);

        _poison.VerifyNoOtherCalls();
        _store.VerifyNoOtherCalls();
    }
}
