using Ali.Serverless.Functions.Composition;
using Ali.Serverless.Functions.Logging;
using Ali.Serverless.Functions.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Ali.Serverless.Functions.Tests.Logging;

/// <summary>
/// Decision 12: a log parameter classified as personal data reaches no provider in the clear; an
/// unclassified one passes unchanged. The logger comes from the composition both hosts use.
/// </summary>
public sealed partial class RedactionTests
{
    private const string Phone = "13800138000";
    private const string IdNumber = "540102199001011234";
    private const string Name = "扎西";
    private const string Owner = "applicant-sub-7f3c";

    private static ServiceProvider Build(IServiceCollection services) =>
        services.AddLogging(logging => logging.AddFakeLogging()).BuildServiceProvider();

    /// <summary>The whole composition of both hosts, over local settings; nothing connects.</summary>
    private static ServiceProvider Composed() =>
        Build(new ServiceCollection().AddAliServerless(
            TestAuth.Configuration(
                ("AzureWebJobsStorage", "UseDevelopmentStorage=true"),
                ("Auth:DevelopmentSigningKey", TestAuth.SigningKey),
                ("Store:SqlitePath", Path.Combine(Path.GetTempPath(), $"redaction-{Guid.NewGuid():N}.db"))),
            new FakeHostEnvironment("Development")));

    [Fact]
    public async Task TheComposition_RedactsTheApplicant_AndKeepsTheCaseNumber()
    {
        await using var services = Composed();
        var logger = services.GetRequiredService<ILogger<RedactionTests>>();

        ApplicantLog.PreChecked(logger, "ALI-2025-000123", Owner, "accepted");

        var record = services.GetFakeLogCollector().LatestRecord;
        Assert.Equal("ALI-2025-000123", Value(record, "CaseNumber"));
        Assert.Equal("accepted", Value(record, "Status"));
        Assert.NotEqual(Owner, Value(record, "OwnerId"));
        Assert.DoesNotContain(Owner, Everything(record));
        Assert.Contains("ALI-2025-000123", Everything(record));
    }

    [Fact]
    public async Task EachPersonalDataClassification_IsRedacted_AnUnclassifiedValueIsNot()
    {
        await using var services = Build(new ServiceCollection().AddPersonalDataRedaction());
        var logger = services.GetRequiredService<ILogger<RedactionTests>>();

        Applicant(logger, Name, IdNumber, Phone, "ALI-2025-000124");

        var record = services.GetFakeLogCollector().LatestRecord;
        var text = Everything(record);
        Assert.DoesNotContain(Name, text);
        Assert.DoesNotContain(IdNumber, text);
        Assert.DoesNotContain(Phone, text);
        Assert.Equal("ALI-2025-000124", Value(record, "CaseNumber"));
    }

    [Fact]
    public async Task WithoutTheRedaction_AClassifiedValueIsStillNotWritten()
    {
        // Fails closed: a host that forgot EnableRedaction drops classified values instead of writing them.
        await using var services = Build(new ServiceCollection());
        var logger = services.GetRequiredService<ILogger<RedactionTests>>();

        Applicant(logger, Name, IdNumber, Phone, "ALI-2025-000125");

        var text = Everything(services.GetFakeLogCollector().LatestRecord);
        Assert.DoesNotContain(Phone, text);
        Assert.Contains("ALI-2025-000125", text);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applicant {Name} ({IdNumber}, {Phone}) on case {CaseNumber}")]
    private static partial void Applicant(ILogger logger, [PersonName] string name, [IdentityNumber] string idNumber, [PhoneNumber] string phone, string caseNumber);

    private static string? Value(FakeLogRecord record, string key) =>
        record.StructuredState!.Single(pair => pair.Key == key).Value;

    /// <summary>The formatted message and every structured value: all that a provider could write.</summary>
    private static string Everything(FakeLogRecord record) =>
        string.Join("\n", record.StructuredState!.Select(pair => $"{pair.Key}={pair.Value}").Prepend(record.Message));
}
