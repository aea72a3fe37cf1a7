using Ali.Serverless.Audit;
using Ali.Serverless.Functions.Composition;
using Ali.Serverless.Functions.Tests.Auth;
using Ali.Serverless.Functions.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace Ali.Serverless.Functions.Tests.Composition;

/// <summary>The app writes the records of reads behind the answer, and writes what is still queued when the host stops (decision 29).</summary>
public sealed class AuditWriteBehindCompositionTests
{
    private static AuditEntry Read() => new()
    {
        Chain = "542500-20261129-0000000001",
        Time = DateTimeOffset.UtcNow,
        Actor = "supervisor-1",
        Role = "supervisor",
        Action = AuditActions.CaseRead,
        Outcome = AuditActions.Success,
    };

    private static readonly (string Key, string? Value)[] Local =
    [
        ("AzureWebJobsStorage", "UseDevelopmentStorage=true"),
        ("Auth:DevelopmentSigningKey", TestAuth.SigningKey),
        ("Notifications:PhoneKey", "test-phone-key"),
        ("Store:SqlitePath", Path.Combine(Path.GetTempPath(), $"audit-behind-{Guid.NewGuid():N}.db")),
    ];

    private static ServiceProvider App(params (string Key, string? Value)[] settings) =>
        new ServiceCollection().AddLogging().AddAliServerless(TestAuth.Configuration([.. Local, .. settings]), new FakeHostEnvironment("Development")).BuildServiceProvider();

    [Fact]
    public void The_app_writes_read_records_behind_unless_told_not_to_and_flushes_them_at_stop()
    {
        using var byDefault = App();
        using var strict = App(("Audit:WriteReadsBehind", "false"));

        Assert.True(byDefault.GetRequiredService<AuditLogOptions>().WriteReadsBehind);
        Assert.Contains(byDefault.GetServices<IHostedService>(), service => service is AuditFlushAtStop);
        Assert.False(strict.GetRequiredService<AuditLogOptions>().WriteReadsBehind);
    }

    [Fact]
    public void A_setting_that_is_not_true_or_false_stops_the_app_and_is_named()
    {
        var error = Assert.Throws<InvalidOperationException>(() => App(("Audit:WriteReadsBehind", "sometimes")));

        Assert.Contains("Audit__WriteReadsBehind", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_waits_until_the_queued_records_are_written()
    {
        var store = new Mock<IAuditStore>();
        var release = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        store.Setup(s => s.GetLastAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((AuditRecord?)null);
        store.Setup(s => s.TryCreateAsync(It.IsAny<AuditRecord>(), It.IsAny<CancellationToken>())).Returns(release.Task);
        var log = new AuditLog(store.Object, null, new AuditLogOptions { WriteReadsBehind = true });
        await log.TryAppendAsync(Read(), default);
        var flush = new AuditFlushAtStop(log, NullLogger<AuditFlushAtStop>.Instance);

        var stopping = flush.StopAsync(default);
        await Task.Delay(50);

        Assert.False(stopping.IsCompleted);
        release.SetResult(true);
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
        store.Verify(s => s.TryCreateAsync(It.Is<AuditRecord>(r => r.Action == AuditActions.CaseRead), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_stop_that_runs_out_of_time_returns_instead_of_hanging()
    {
        var store = new Mock<IAuditStore>();
        store.Setup(s => s.GetLastAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((AuditRecord?)null);
        store.Setup(s => s.TryCreateAsync(It.IsAny<AuditRecord>(), It.IsAny<CancellationToken>())).Returns(new TaskCompletionSource<bool>().Task);
        var log = new AuditLog(store.Object, null, new AuditLogOptions { WriteReadsBehind = true });
        await log.TryAppendAsync(Read(), default);
        using var shutdown = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await new AuditFlushAtStop(log, NullLogger<AuditFlushAtStop>.Instance).StopAsync(shutdown.Token).WaitAsync(TimeSpan.FromSeconds(10));
    }
}
