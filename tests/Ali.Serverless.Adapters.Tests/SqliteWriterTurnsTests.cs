using Ali.Serverless.Adapters.Sqlite;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>
/// Writers of one process take turns on the SQLite file (decision 23) instead of colliding and sleeping on SQLITE_BUSY:
/// the next writer gets its connection when the previous one is closed, however it was closed.
/// </summary>
public sealed class SqliteWriterTurnsTests
{
    private static SqliteDatabase NewDatabase() => new(Path.Combine(Path.GetTempPath(), $"ali-writers-{Guid.NewGuid():N}.db"));

    [Fact]
    public async Task SecondWriter_WaitsUntilTheFirstIsDisposed()
    {
        var database = NewDatabase();
        var first = await database.OpenWriterAsync(default);

        var second = database.OpenWriterAsync(default);
        await Task.Delay(100);
        Assert.False(second.IsCompleted);

        await first.DisposeAsync();
        await using var secondConnection = await second.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(System.Data.ConnectionState.Open, secondConnection.State);
    }

    [Fact]
    public async Task ClosingAndThenDisposing_LetsExactlyOneWriterIn()
    {
        var database = NewDatabase();
        var first = await database.OpenWriterAsync(default);
        first.Close();
        await first.DisposeAsync();

        // One turn was given back, not two: a second writer waits for the third to finish.
        var second = await database.OpenWriterAsync(default).WaitAsync(TimeSpan.FromSeconds(5));
        var third = database.OpenWriterAsync(default);
        await Task.Delay(100);
        Assert.False(third.IsCompleted);
        second.Dispose();
        (await third.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public async Task ReadersDoNotWaitForAWriter()
    {
        var database = NewDatabase();
        await using var writer = await database.OpenWriterAsync(default);

        await using var reader = database.Open();
        await using var command = reader.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM applications";
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task CancelledWhileWaiting_TakesNoTurn()
    {
        var database = NewDatabase();
        var first = await database.OpenWriterAsync(default);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => database.OpenWriterAsync(cancel.Token));

        await first.DisposeAsync();
        (await database.OpenWriterAsync(default).WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public async Task ManyConcurrentWriters_AllCommit()
    {
        var database = NewDatabase();
        var store = new SqliteRateLimitStore(database);
        var window = new DateTimeOffset(2026, 11, 29, 3, 0, 0, TimeSpan.Zero);

        var counted = await Task.WhenAll(Enumerable.Range(0, 64).Select(i =>
            Task.Run(() => store.TryCountAsync($"applicant:u{i % 8}", "open-application", window, TimeSpan.FromHours(1), 1000, default))));

        Assert.All(counted, Assert.True);
    }
}
