using Ali.Serverless.Applications;
using Ali.Serverless.Catalog;
using Ali.Serverless.Functions.Tests.Support;
using Ali.Serverless.KeyRotation;
using Ali.Serverless.PersonalData;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Ali.Serverless.Functions.Tests.Tools;

/// <summary>The rotation command over the app's own composition: a local SQLite file and key folder.</summary>
public sealed class KeyRotationCliTests
{
    private const string IdNumber = "11010519491231002X";
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"ali-rotation-{Guid.NewGuid():N}.db");
    private readonly string _keys = Path.Combine(Path.GetTempPath(), $"ali-rotation-keys-{Guid.NewGuid():N}");

    private ServiceProvider Compose() => KeyRotationCli.Compose(
        TestAuth.Configuration(("Store:SqlitePath", _database), ("PersonalData:KeyDirectory", _keys)),
        new FakeHostEnvironment("Production"));

    private async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        using var services = Compose();
        var output = new StringWriter();
        var code = await KeyRotationCli.RunAsync(args, services, output, output, CancellationToken.None);
        return (code, output.ToString());
    }

    private string RawDocuments()
    {
        using var connection = new SqliteConnection($"Data Source={_database}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(document, ' ') FROM applications";
        return (string)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task NewKey_ThenRewrap_MovesEveryApplication_AndAnotherRunFindsNothing()
    {
        using (var services = Compose())
        {
            var store = services.GetRequiredService<IApplicationStore>();
            for (var n = 0; n < 3; n++)
            {
                await store.CreateAsync(Application($"0192a7b3c4d5e6f70192a7b3c4d5e6{n:D2}"), default);
            }
        }
        Assert.Contains("local-0001", RawDocuments());

        var added = await RunAsync("new-key");
        var status = await RunAsync("status");
        var rewrap = await RunAsync("rewrap", "--batch", "2");
        var again = await RunAsync("rewrap");

        Assert.Equal((0, true), (added.Code, added.Output.Contains("local-0002")));
        Assert.Contains("under an older key or none: 3", status.Output);
        Assert.Equal(0, rewrap.Code);
        Assert.Contains("re-encrypted: 3", rewrap.Output);
        Assert.Contains("re-encrypted: 0", again.Output);
        Assert.DoesNotContain("dk1.local-0001.", RawDocuments());
        Assert.DoesNotContain(IdNumber, RawDocuments());
    }

    [Theory]
    [InlineData]
    [InlineData("rotate")]
    [InlineData("rewrap", "--batch", "0")]
    [InlineData("rewrap", "--batch", "x")]
    public async Task UnknownCommandsAndBadBatchSizes_AreRefused(params string[] args)
    {
        var (code, output) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.False(string.IsNullOrWhiteSpace(output));
    }

    private static Application Application(string id) => new()
    {
        Id = id,
        OwnerId = "hall:542521-ZWFWZX",
        ItemCode = "542500-RSJ-1",
        DepartmentCode = "542500-RSJ",
        DivisionCode = "542500",
        Channel = Channel.Window,
        Applicant = new ApplicantIdentity(ApplicantKind.NaturalPerson, IdNumber, "扎西", "13800000000"),
        OpenedBy = "clerk-1",
        OpenedByRole = "window-clerk",
        Status = ApplicationStatus.Draft,
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };
}
