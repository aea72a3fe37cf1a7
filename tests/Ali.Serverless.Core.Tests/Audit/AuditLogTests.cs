using Ali.Serverless.Audit;
using Ali.Serverless.Core.Tests.Support;

namespace Ali.Serverless.Core.Tests.Audit;

public sealed class AuditLogTests
{
    private readonly InMemoryAuditStore _store = new();
    private readonly AuditLog _log;
    private readonly RecordingAuditFailures _failures = new();

    public AuditLogTests() => _log = new AuditLog(_store, _failures);

    private static AuditEntry Entry(string action, string? id = null, string chain = "case-1") => new()
    {
        Id = id,
        Chain = chain,
        Time = new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.FromHours(8)).AddTicks(12345),
        Actor = "reviewer-1",
        Role = "reviewer",
        Department = "542500-FGW",
        Action = action,
        Outcome = AuditActions.Success,
    };

    [Fact]
    public async Task Appends_number_and_link_the_records_of_a_chain()
    {
        var first = await _log.AppendAsync(Entry("case.pre-check"), default);
        var second = await _log.AppendAsync(Entry("case.accept"), default);
        await _log.AppendAsync(Entry("case.read", chain: "case-2"), default);

        Assert.Equal((0L, AuditRecord.GenesisHash), (first.Sequence, first.PreviousHash));
        Assert.Equal((1L, first.Hash), (second.Sequence, second.PreviousHash));
        Assert.Equal(0L, (await _log.ReadChainAsync("case-2", default)).Single().Sequence);
        Assert.True(AuditVerifier.Verify(await _log.ReadChainAsync("case-1", default)).Valid);
        // Stored in UTC to the microsecond, so every store gives the hash back unchanged.
        Assert.Equal(TimeSpan.Zero, first.Time.Offset);
        Assert.Equal(0, first.Time.UtcTicks % 10);
    }

    [Fact]
    public async Task A_record_id_the_log_draws_begins_with_the_time_so_a_chain_s_ids_grow_with_it()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var record = await _log.AppendAsync(Entry("case.read"), default);
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        // A version 7 GUID in 32 hex digits: 48 bits of Unix milliseconds first, then the version (7).
        Assert.Matches("^[0-9a-f]{32}$", record.Id);
        Assert.Equal('7', record.Id[12]);
        Assert.InRange(Convert.ToInt64(record.Id[..12], 16), before, after);
    }

    [Fact]
    public async Task An_entry_with_an_id_is_written_once_however_often_it_is_appended()
    {
        var once = await _log.AppendAsync(Entry("case.accept", "outbox-1"), default);
        await _log.AppendAsync(Entry("case.read"), default);
        var again = await _log.AppendAsync(Entry("case.accept", "outbox-1"), default);

        Assert.Equal(once, again);
        Assert.Equal(2, _store.Chain("case-1").Count);
    }

    [Fact]
    public async Task A_writer_that_loses_the_race_for_a_sequence_links_to_the_winner_instead_of_forking()
    {
        var winner = AuditRecord.Next(Entry("case.read"), "winner", null);
        var raced = false;
        _store.BeforeCreate = record =>
        {
            // Another instance takes sequence 0 between our read of the chain and our create.
            if (!raced)
            {
                raced = true;
                _store.Put(winner);
            }
            return Task.CompletedTask;
        };

        var ours = await _log.AppendAsync(Entry("case.accept"), default);

        Assert.Equal((1L, winner.Hash), (ours.Sequence, ours.PreviousHash));
        var chain = _store.Chain("case-1");
        Assert.Equal(["winner", ours.Id], chain.Select(r => r.Id));
        Assert.True(AuditVerifier.Verify(chain).Valid);
    }

    [Fact]
    public async Task Parallel_appends_to_one_chain_make_one_unbroken_chain()
    {
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => _log.AppendAsync(Entry($"case.read-{i}"), default))));

        var chain = _store.Chain("case-1");
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (long)i), chain.Select(r => r.Sequence));
        Assert.True(AuditVerifier.Verify(chain).Valid);
    }

    [Fact]
    public async Task A_read_that_cannot_be_audited_is_reported_not_thrown()
    {
        _store.FailAll = true;
        await _log.TryAppendAsync(Entry("case.read"), default);
        Assert.Single(_failures.Entries);
        await Assert.ThrowsAsync<InvalidOperationException>(() => _log.AppendAsync(Entry("case.accept"), default));
    }

    [Fact]
    public async Task The_last_record_this_instance_wrote_is_remembered_so_the_next_append_reads_no_chain()
    {
        var first = await _log.AppendAsync(Entry("case.read"), default);
        var readsAfterFirst = _store.LastReads;

        var second = await _log.AppendAsync(Entry("case.read"), default);

        Assert.Equal(1, readsAfterFirst);
        Assert.Equal(readsAfterFirst, _store.LastReads);
        Assert.Equal((1L, first.Hash), (second.Sequence, second.PreviousHash));
        Assert.True(AuditVerifier.Verify(_store.Chain("case-1")).Valid);
    }

    [Fact]
    public async Task A_remembered_last_record_made_stale_by_another_instance_costs_a_retry_not_a_fork()
    {
        var ours = await _log.AppendAsync(Entry("case.read"), default);
        // Another instance appends sequence 1 behind this one's back.
        var theirs = AuditRecord.Next(Entry("case.accept"), "theirs", ours);
        _store.Put(theirs);

        var next = await _log.AppendAsync(Entry("case.read"), default);

        Assert.Equal((2L, theirs.Hash), (next.Sequence, next.PreviousHash));
        var chain = _store.Chain("case-1");
        Assert.Equal([ours.Id, "theirs", next.Id], chain.Select(r => r.Id));
        Assert.True(AuditVerifier.Verify(chain).Valid);
    }

    [Fact]
    public async Task An_entry_with_an_id_written_meanwhile_by_another_call_is_returned_not_written_again()
    {
        var entry = Entry("case.accept", id: "outbox-effect-1");
        var raced = false;
        _store.BeforeCreate = record =>
        {
            // The same outbox effect, done at the same time elsewhere, takes the sequence first.
            if (!raced)
            {
                raced = true;
                _store.Put(AuditRecord.Next(entry, "outbox-effect-1", null));
            }
            return Task.CompletedTask;
        };

        var written = await _log.AppendAsync(entry, default);

        Assert.Equal(("outbox-effect-1", 0L), (written.Id, written.Sequence));
        Assert.Single(_store.Chain("case-1"));
    }
}
