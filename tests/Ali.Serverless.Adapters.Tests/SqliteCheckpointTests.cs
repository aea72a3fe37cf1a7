using Ali.Serverless.Adapters.Sqlite;
using Microsoft.Data.Sqlite;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>
/// Checkpoints run in the background, not in a writer's commit (decision 28): SQLite's automatic checkpoint is off on
/// every connection, and the database copies its write-ahead log itself once the log is large.
/// </summary>
public sealed class SqliteCheckpointTests : IDisposable
{
    private readonly string _path = SqliteTestFile.NewPath("checkpoint");

    public void Dispose() => SqliteTestFile.Remove(_path);

    private static async Task WriteRowsAsync(SqliteDatabase database, int rows)
    {
        await using var connection = await database.OpenWriterAsync(default);
        for (var i = 0; i < rows; i++)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO statistics (period, computed_at, document) VALUES ($period, 0, $document)";
            command.Parameters.AddWithValue("$period", $"p-{Guid.NewGuid():N}");
            command.Parameters.AddWithValue("$document", new string('x', 2000));
            await command.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public void Every_connection_has_the_automatic_checkpoint_off()
    {
        using var database = new SqliteDatabase(_path);
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_autocheckpoint";

        Assert.Equal(0L, command.ExecuteScalar());
    }

    [Fact]
    public async Task Commits_leave_the_log_growing_past_sqlites_own_limit_until_a_checkpoint_copies_it()
    {
        using var database = new SqliteDatabase(_path, Timeout.InfiniteTimeSpan);
        // Held open for the test: SQLite checkpoints when a database's last connection closes, which another test
        // class clearing the connection pools (SqliteTestFile.Remove) would otherwise cause in the middle of this one.
        using var held = database.Open();

        // 3,000 rows of 2 KB: far past the 1,000 pages at which SQLite would checkpoint inside a commit.
        await WriteRowsAsync(database, 3000);
        var log = new FileInfo(_path + "-wal").Length;
        var before = new FileInfo(_path).Length;
        var checkpointed = database.CheckpointIfLarge();
        var after = new FileInfo(_path).Length;

        Assert.True(log > 6_000_000, $"the log holds {log} bytes");
        Assert.True(before < 1_000_000, $"the database file held {before} bytes before the checkpoint");
        Assert.True(checkpointed);
        Assert.True(after > 6_000_000, $"the database file holds {after} bytes after it");
    }

    [Fact]
    public async Task The_background_checkpoint_copies_a_large_log_on_its_own()
    {
        using var database = new SqliteDatabase(_path);

        await WriteRowsAsync(database, 3000);

        // The timer ticks every 500 ms; the rows end up in the database file without anyone asking.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (new FileInfo(_path).Length < 6_000_000 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        Assert.True(new FileInfo(_path).Length >= 6_000_000, $"the database file holds {new FileInfo(_path).Length} bytes");
    }

    [Fact]
    public async Task A_small_log_is_left_alone()
    {
        using var database = new SqliteDatabase(_path, Timeout.InfiniteTimeSpan);
        await WriteRowsAsync(database, 1);

        Assert.False(database.CheckpointIfLarge());
    }

    [Fact]
    public void A_removed_database_file_is_not_created_again_by_the_checkpoint()
    {
        using var database = new SqliteDatabase(_path);
        SqliteTestFile.Remove(_path);

        Assert.False(database.CheckpointIfLarge(walBytes: 0));
        Assert.False(File.Exists(_path));
    }
}
