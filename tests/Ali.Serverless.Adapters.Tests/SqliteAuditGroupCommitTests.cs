using Ali.Serverless.Adapters.Sqlite;
using Ali.Serverless.Audit;
using Microsoft.Data.Sqlite;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>
/// The SQLite audit store's group commit (decision 25) against a real file: appends waiting together share one
/// transaction, each answers for its own record alone, and nothing answered true is missing after reopening.
/// </summary>
public sealed class SqliteAuditGroupCommitTests : IDisposable
{
    private readonly string _path = SqliteTestFile.NewPath("group-commit");

    public void Dispose() => SqliteTestFile.Remove(_path);

    private static AuditRecord Record(string chain, int sequence, string id) => AuditRecord.Next(new AuditEntry
    {
        Chain = chain,
        Time = new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.FromHours(8)).AddTicks(sequence),
        Actor = "reviewer-1",
        Role = "reviewer",
        Department = "542500-RSJ",
        Action = AuditActions.StaffRequest,
        Object = "tasks",
        Outcome = AuditActions.Success,
    }, id, null) with { Sequence = sequence };

    /// <summary>
    /// Starts the calls while the test holds the writer's turn, so they all queue, then lets the writer go: what
    /// happens next is one batch, not a race between single inserts.
    /// </summary>
    private static async Task<bool[]> AppendTogetherAsync(SqliteDatabase database, SqliteAuditStore store, IReadOnlyList<AuditRecord> records)
    {
        Task<bool[]> calls;
        await using (await database.OpenWriterAsync(default))
        {
            calls = Task.WhenAll(records.Select(record => Task.Run(() => store.TryCreateAsync(record, default))));
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (store.Queued < records.Count && DateTime.UtcNow < deadline)
            {
                await Task.Delay(5);
            }
            Assert.Equal(records.Count, store.Queued);
        }
        return await calls;
    }

    [Fact]
    public async Task Concurrent_appends_to_different_chains_all_commit_in_few_transactions()
    {
        var database = new SqliteDatabase(_path);
        var store = new SqliteAuditStore(database);
        var records = Enumerable.Range(0, 100).Select(i => Record($"542500-RSJ:reviewer-{i}:20261129", 0, $"r{i}")).ToList();

        var answers = await AppendTogetherAsync(database, store, records);

        Assert.All(answers, Assert.True);
        // 100 waiting records, at most 64 a transaction: two batches, not a hundred.
        Assert.Equal(2, store.Batches);
        foreach (var record in records)
        {
            Assert.Equal(record, await store.FindAsync(record.Chain, record.Id, default));
        }
    }

    [Fact]
    public async Task Two_appends_of_one_sequence_in_one_batch_answer_true_exactly_once()
    {
        var database = new SqliteDatabase(_path);
        var store = new SqliteAuditStore(database);
        const string chain = "542500-20261129-0000000001";
        var records = new[] { Record(chain, 0, "first"), Record(chain, 0, "second"), Record("542500-20261129-0000000002", 0, "other") };

        var answers = await AppendTogetherAsync(database, store, records);

        Assert.Equal(1, store.Batches);
        Assert.Equal(1, answers.Take(2).Count(inserted => inserted));
        Assert.True(answers[2]);
        var chainRecords = await store.ReadChainAsync(chain, default);
        var kept = Assert.Single(chainRecords);
        Assert.Equal(answers[0] ? "first" : "second", kept.Id);
    }

    [Fact]
    public async Task A_run_stops_at_the_first_taken_sequence_so_only_a_prefix_is_written()
    {
        var database = new SqliteDatabase(_path);
        var store = new SqliteAuditStore(database);
        const string chain = "542500-20261129-0000000001";
        Assert.True(await store.TryCreateAsync(Record(chain, 3, "another-instance"), default));
        var run = Enumerable.Range(0, 6).Select(i => Record(chain, i, $"run-{i}")).ToList();

        var created = await store.TryCreateRunAsync(run, default);

        Assert.Equal(3, created);
        Assert.Equal(["run-0", "run-1", "run-2", "another-instance"], (await store.ReadChainAsync(chain, default)).Select(r => r.Id));
    }

    [Fact]
    public async Task Runs_and_single_records_waiting_together_share_one_transaction()
    {
        var database = new SqliteDatabase(_path);
        var store = new SqliteAuditStore(database);
        Task<int> runA, runB;
        Task<bool> single;
        await using (await database.OpenWriterAsync(default))
        {
            runA = Task.Run(() => store.TryCreateRunAsync(Enumerable.Range(0, 20).Select(i => Record("case-a", i, $"a{i}")).ToList(), default));
            runB = Task.Run(() => store.TryCreateRunAsync(Enumerable.Range(0, 20).Select(i => Record("case-b", i, $"b{i}")).ToList(), default));
            single = Task.Run(() => store.TryCreateAsync(Record("day-chain", 0, "staff-request"), default));
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (store.Queued < 3 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(5);
            }
            Assert.Equal(3, store.Queued);
        }

        var created = await Task.WhenAll(runA, runB);
        Assert.Equal([20, 20], created);
        Assert.True(await single);
        Assert.Equal(1, store.Batches);
        Assert.Equal(20, (await store.ReadChainAsync("case-b", default)).Count);
    }

    [Fact]
    public async Task A_record_failing_otherwise_fails_its_call_alone_and_the_others_commit()
    {
        var database = new SqliteDatabase(_path);
        await using (var connection = database.Open())
        {
            // A runtime error (integer overflow) that is not a constraint violation, for one chain only.
            await using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TRIGGER poison_audit BEFORE INSERT ON audit WHEN NEW.chain = 'poison'
                BEGIN SELECT abs(-9223372036854775807 - 1); END;
                """;
            await command.ExecuteNonQueryAsync();
        }
        var store = new SqliteAuditStore(database);
        var records = new[] { Record("good-1", 0, "a"), Record("poison", 0, "b"), Record("good-2", 0, "c") };

        Task<bool> poisoned;
        Task<bool[]> good;
        await using (await database.OpenWriterAsync(default))
        {
            good = Task.WhenAll(Task.Run(() => store.TryCreateAsync(records[0], default)), Task.Run(() => store.TryCreateAsync(records[2], default)));
            poisoned = Task.Run(() => store.TryCreateAsync(records[1], default));
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (store.Queued < 3 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(5);
            }
            Assert.Equal(3, store.Queued);
        }

        var failure = await Assert.ThrowsAsync<SqliteException>(() => poisoned);
        Assert.NotEqual(19, failure.SqliteErrorCode);
        Assert.All(await good, Assert.True);
        // The shared transaction was rolled back and the three written one by one: two committed, one failed.
        Assert.Equal(2, store.Batches);
        Assert.NotNull(await store.FindAsync("good-1", "a", default));
        Assert.NotNull(await store.FindAsync("good-2", "c", default));
        Assert.Null(await store.FindAsync("poison", "b", default));
    }

    [Fact]
    public async Task Nothing_answered_true_is_missing_after_reopening_the_file()
    {
        var answered = new List<AuditRecord>();
        {
            var store = new SqliteAuditStore(new SqliteDatabase(_path));
            // Sixteen writers racing on eight chains, as staff requests do: some sequences are taken twice.
            var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
            {
                var mine = new List<AuditRecord>();
                for (var i = 0; i < 40; i++)
                {
                    var record = Record($"chain-{worker % 8}", i, $"w{worker}-{i}");
                    if (await store.TryCreateAsync(record, default))
                    {
                        mine.Add(record);
                    }
                }
                return mine;
            })));
            answered.AddRange(results.SelectMany(r => r));
        }
        SqliteConnection.ClearAllPools();

        var reopened = new SqliteAuditStore(new SqliteDatabase(_path));
        // Each (chain, sequence) was answered true exactly once, and every one of them is in the file.
        Assert.Equal(8 * 40, answered.Count);
        foreach (var record in answered)
        {
            Assert.Equal(record, await reopened.FindAsync(record.Chain, record.Id, default));
        }
    }
}
