using Ali.Serverless.Audit;
using Ali.Serverless.Core.Tests.Support;

namespace Ali.Serverless.Core.Tests.Audit;

/// <summary>
/// Records of reads and refusals written behind the answer (decision 29): the caller only queues, one background
/// writer appends each chain's entries as a run, the chain stays whole under competing writers, and a flush waits
/// for what was queued before it.
/// </summary>
public sealed class AuditWriteBehindTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly InMemoryAuditStore _store = new();
    private readonly RecordingAuditFailures _failures = new();

    private AuditLog Log(int capacity = 8_192) =>
        new(_store, _failures, new AuditLogOptions { WriteReadsBehind = true, QueueCapacity = capacity });

    private static AuditEntry Read(int n, string chain = "542500-20261129-0000000001") => new()
    {
        Chain = chain,
        Time = new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.FromHours(8)).AddTicks(n * 10),
        Actor = $"reviewer-{n % 3}",
        Role = "reviewer",
        Department = "542500-FGW",
        Action = AuditActions.CaseRead,
        Object = $"case:{chain}",
        Outcome = AuditActions.Success,
    };

    /// <summary>Holds every create until the test lets go, so what is queued and what is written can be told apart.</summary>
    private TaskCompletionSource HoldCreates()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _store.BeforeCreate = _ => gate.Task;
        return gate;
    }

    [Fact]
    public async Task A_read_is_answered_before_its_record_is_written_and_a_flush_waits_for_it()
    {
        var gate = HoldCreates();
        var log = Log();

        await log.TryAppendAsync(Read(1), default).WaitAsync(Patience);
        var flush = log.FlushAsync(default);

        Assert.Empty(_store.All);
        Assert.False(flush.IsCompleted);
        gate.SetResult();
        await flush.WaitAsync(Patience);
        Assert.Equal(AuditActions.CaseRead, Assert.Single(_store.All).Action);
    }

    [Fact]
    public async Task Many_reads_of_one_case_at_once_make_one_whole_chain()
    {
        var log = Log();

        await Task.WhenAll(Enumerable.Range(0, 500).Select(n => Task.Run(() => log.TryAppendAsync(Read(n), default))));
        await log.FlushAsync(default).WaitAsync(Patience);

        var chain = _store.Chain("542500-20261129-0000000001");
        Assert.Equal(500, chain.Count);
        Assert.True(AuditVerifier.Verify(chain).Valid);
        Assert.Equal(500, chain.Select(r => r.Time).Distinct().Count());
        Assert.Empty(_failures.Entries);
    }

    [Fact]
    public async Task Reads_queued_together_are_written_as_one_run_per_chain_with_one_head_read_each()
    {
        var gate = HoldCreates();
        var log = Log();
        // Whether the writer takes the first read alone (and is held) or all eleven at once, each chain's head is read once.
        await log.TryAppendAsync(Read(0, "case-a"), default);
        for (var n = 1; n <= 10; n++)
        {
            await log.TryAppendAsync(Read(n, n % 2 == 0 ? "case-a" : "case-b"), default);
        }
        gate.SetResult();
        await log.FlushAsync(default).WaitAsync(Patience);

        Assert.Equal(6, _store.Chain("case-a").Count);
        Assert.Equal(5, _store.Chain("case-b").Count);
        Assert.True(AuditVerifier.Verify(_store.Chain("case-a")).Valid);
        Assert.True(AuditVerifier.Verify(_store.Chain("case-b")).Valid);
        // In queue order within each chain.
        Assert.Equal([0L, 20, 40, 60, 80, 100], _store.Chain("case-a").Select(r => (r.Time.UtcTicks - Read(0).Time.UtcTicks)));
        // Each chain's head read once from the store; after that the writer links to what it wrote.
        Assert.Equal(2, _store.LastReads);
    }

    [Fact]
    public async Task A_record_appended_meanwhile_by_another_instance_is_linked_to_not_forked()
    {
        var gate = HoldCreates();
        var log = Log();
        const string chain = "542500-20261129-0000000001";
        for (var n = 0; n < 10; n++)
        {
            await log.TryAppendAsync(Read(n, chain), default);
        }
        var slipped = false;
        _store.BeforeCreate = async record =>
        {
            await gate.Task;
            if (record.Sequence == 5 && !slipped)
            {
                // Another instance writes sequence 5 (a step of the case) just before this run's fifth record.
                slipped = true;
                var before = _store.Chain(chain).Single(r => r.Sequence == 4);
                _store.Put(AuditRecord.Next(Read(99, chain) with { Action = "case.review" }, "other-instance", before));
            }
        };
        gate.SetResult();
        await log.FlushAsync(default).WaitAsync(Patience);

        var records = _store.Chain(chain);
        Assert.Equal(11, records.Count);
        Assert.Equal("other-instance", records[5].Id);
        Assert.True(AuditVerifier.Verify(records).Valid);
        Assert.Empty(_failures.Entries);
    }

    [Fact]
    public async Task When_the_store_is_down_each_queued_read_is_reported_and_the_writer_goes_on_afterwards()
    {
        var log = Log();
        _store.FailAll = true;

        await log.TryAppendAsync(Read(1), default);
        await log.TryAppendAsync(Read(2, "other-case"), default);
        await log.FlushAsync(default).WaitAsync(Patience);

        Assert.Equal(2, _failures.Entries.Count);
        Assert.Empty(_store.All);
        _store.FailAll = false;
        await log.TryAppendAsync(Read(3), default);
        await log.FlushAsync(default).WaitAsync(Patience);
        Assert.Equal(Read(3).Time, Assert.Single(_store.All).Time);
    }

    [Fact]
    public async Task A_full_queue_makes_the_reader_wait_rather_than_lose_a_record()
    {
        var (gate, log) = await FullQueueAsync(capacity: 2);

        var waiting = log.TryAppendAsync(Read(4), default);
        await Task.Delay(100);

        Assert.False(waiting.IsCompleted);
        gate.SetResult();
        await waiting.WaitAsync(Patience);
        await log.FlushAsync(default).WaitAsync(Patience);
        Assert.Equal(4, _store.All.Count);
    }

    [Fact]
    public async Task A_reader_that_goes_away_while_waiting_for_room_does_not_hold_up_a_flush()
    {
        var (gate, log) = await FullQueueAsync(capacity: 1);
        using var leaving = new CancellationTokenSource();

        var waiting = log.TryAppendAsync(Read(3), leaving.Token);
        leaving.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        gate.SetResult();
        await log.FlushAsync(default).WaitAsync(Patience);
        Assert.Equal(2, _store.All.Count);
    }

    private static readonly AsyncLocal<string?> RequestContext = new();

    [Fact]
    public async Task The_writer_does_not_carry_the_context_of_the_request_that_started_it()
    {
        string? seenByWriter = "not written";
        _store.BeforeCreate = _ =>
        {
            seenByWriter = RequestContext.Value;
            return Task.CompletedTask;
        };
        var log = Log();

        RequestContext.Value = "first request's trace";
        await log.TryAppendAsync(Read(1), default);
        RequestContext.Value = null;
        await log.FlushAsync(default).WaitAsync(Patience);

        Assert.Null(seenByWriter);
    }

    [Fact]
    public async Task An_entry_with_an_id_is_still_appended_before_the_call_returns()
    {
        var log = Log();

        await log.TryAppendAsync(Read(1) with { Id = "outbox-1" }, default);

        Assert.Equal("outbox-1", Assert.Single(_store.All).Id);
    }

    [Fact]
    public async Task Without_write_behind_a_read_is_written_before_the_call_returns()
    {
        var log = new AuditLog(_store, _failures);

        await log.TryAppendAsync(Read(1), default);

        Assert.Single(_store.All);
        Assert.True(log.FlushAsync(default).IsCompletedSuccessfully);
    }

    /// <summary>A log whose writer holds read 1 at the store while reads 2 and on fill its queue of <paramref name="capacity"/>.</summary>
    private async Task<(TaskCompletionSource Gate, AuditLog Log)> FullQueueAsync(int capacity)
    {
        var gate = HoldCreates();
        var log = Log(capacity);
        await log.TryAppendAsync(Read(1), default);
        await WaitUntilAsync(() => _store.LastReads == 1);
        for (var n = 2; n < 2 + capacity; n++)
        {
            await log.TryAppendAsync(Read(n), default);
        }
        return (gate, log);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not come true in time.");
            await Task.Delay(5);
        }
    }
}
