using Ali.Serverless.Adapters.Sqlite;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>
/// Reads borrow a kept connection with the statements it prepared before (decision 30): the same text runs on the same
/// prepared command again, every read still sees the latest commit, and what is kept is bounded.
/// </summary>
public sealed class SqliteReadsTests : IDisposable
{
    private const string ReadPeriod = "SELECT document FROM statistics WHERE period = $period";

    private readonly string _path = SqliteTestFile.NewPath("reads");

    public void Dispose() => SqliteTestFile.Remove(_path);

    private static async Task WriteAsync(SqliteDatabase database, string period, string document)
    {
        await using var connection = await database.OpenWriterAsync(default);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO statistics (period, computed_at, document) VALUES ($period, 0, $document)";
        command.Parameters.AddWithValue("$period", period);
        command.Parameters.AddWithValue("$document", document);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ReadAsync(SqliteDatabase database, string period)
    {
        using var reads = database.Read();
        var command = reads.Command(ReadPeriod);
        command.Parameters.AddWithValue("$period", period);
        return await command.ExecuteScalarAsync();
    }

    [Fact]
    public void A_text_read_again_gets_the_command_it_ran_on_before_with_no_parameters()
    {
        using var database = new SqliteDatabase(_path);
        Microsoft.Data.Sqlite.SqliteCommand first;
        using (var reads = database.Read())
        {
            first = reads.Command(ReadPeriod);
            first.Parameters.AddWithValue("$period", "2026-10");
            first.ExecuteScalar();
        }

        using var again = database.Read();
        var second = again.Command(ReadPeriod);

        Assert.Same(first, second);
        Assert.Empty(second.Parameters);
        Assert.Equal(1, again.StatementCount);
    }

    [Fact]
    public async Task A_kept_connection_sees_what_was_committed_after_its_last_read()
    {
        using var database = new SqliteDatabase(_path);
        await WriteAsync(database, "2026-10", "first");
        Assert.Equal("first", await ReadAsync(database, "2026-10"));

        await WriteAsync(database, "2026-10", "second");

        Assert.Equal("second", await ReadAsync(database, "2026-10"));
        Assert.Null(await ReadAsync(database, "2026-09"));
    }

    [Fact]
    public void The_statements_kept_per_connection_are_bounded()
    {
        using var database = new SqliteDatabase(_path);
        using var reads = database.Read();

        for (var i = 0; i < SqliteReads.MaxStatements * 2 + 5; i++)
        {
            var command = reads.Command($"SELECT {i}");
            Assert.Equal((long)i, command.ExecuteScalar());
            Assert.InRange(reads.StatementCount, 1, SqliteReads.MaxStatements);
        }
    }

    [Fact]
    public async Task Connections_given_back_by_a_burst_of_readers_are_kept_up_to_the_bound()
    {
        using var database = new SqliteDatabase(_path);
        await WriteAsync(database, "2026-10", "x");
        var lent = Enumerable.Range(0, SqliteDatabase.MaxIdleReads + 8).Select(_ => database.Read()).ToList();
        foreach (var reads in lent)
        {
            var command = reads.Command(ReadPeriod);
            command.Parameters.AddWithValue("$period", "2026-10");
            Assert.Equal("x", command.ExecuteScalar());
        }

        foreach (var reads in lent)
        {
            reads.Dispose();
        }

        Assert.Equal(SqliteDatabase.MaxIdleReads, database.IdleReadCount);
    }

    [Fact]
    public void Disposing_the_database_closes_the_kept_connections_and_any_given_back_later()
    {
        var database = new SqliteDatabase(_path);
        database.Read().Dispose();
        var stillLent = database.Read();
        var kept = database.Read();
        kept.Dispose();

        database.Dispose();
        stillLent.Dispose();

        Assert.Equal(0, database.IdleReadCount);
        Assert.Throws<InvalidOperationException>(() => kept.Command("SELECT 1").ExecuteScalar());
        Assert.Throws<InvalidOperationException>(() => stillLent.Command("SELECT 1").ExecuteScalar());
    }
}
