using Ali.Serverless.Audit;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>
/// What an audit store must do, on SQLite and on Cosmos DB: create a (chain, sequence) once, keep every
/// field so the hash still verifies, read a chain in order. The local Cosmos test server cannot ORDER BY,
/// so the ordered reads run on Cosmos only against a real account.
/// </summary>
public sealed class AuditStoreContractTests
{
    private static AuditEntry Entry(string chain, int i) => new()
    {
        Chain = chain,
        Time = new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.FromHours(8)).AddTicks(1234567 + i),
        Actor = "reviewer-1",
        Role = "reviewer",
        Department = i % 2 == 0 ? "542500-FGW" : null,
        Action = "case.read",
        Object = $"task:{i}",
        Outcome = AuditActions.Success,
        ClientAddress = "2001:db8::1",
        TraceId = "4bf92f3577b34da6a3ce929d0e0e4736",
    };

    [Theory]
    [MemberData(nameof(StoreTargets.All), MemberType = typeof(StoreTargets))]
    public async Task A_sequence_is_created_once_and_found_by_its_record_id(string target)
    {
        var store = await StoreTargets.CreateAuditStoreAsync(target);
        var first = AuditRecord.Next(Entry("542500-20260601-0000000001", 0), "record-a", null);

        Assert.True(await store.TryCreateAsync(first, default));
        // A second writer of the same sequence loses; it must not overwrite or fork the chain.
        Assert.False(await store.TryCreateAsync(AuditRecord.Next(Entry("542500-20260601-0000000001", 1), "record-b", null), default));

        var found = await store.FindAsync("542500-20260601-0000000001", "record-a", default);
        Assert.Equal(first, found);
        Assert.Equal(first.Hash, AuditRecord.ComputeHash(found!));
        Assert.Null(await store.FindAsync("542500-20260601-0000000001", "record-b", default));
        Assert.Null(await store.FindAsync("another-chain", "record-a", default));
    }

    [Theory]
    [MemberData(nameof(StoreTargets.All), MemberType = typeof(StoreTargets))]
    public async Task A_run_is_created_in_order_up_to_the_first_sequence_another_writer_took(string target)
    {
        var store = await StoreTargets.CreateAuditStoreAsync(target);
        const string chain = "542500-20260601-0000000002";
        var run = new List<AuditRecord>();
        for (var i = 0; i < 5; i++)
        {
            run.Add(AuditRecord.Next(Entry(chain, i), $"run-{i}", run.LastOrDefault()));
        }
        // Another instance wrote sequence 3 first.
        Assert.True(await store.TryCreateAsync(AuditRecord.Next(Entry(chain, 9), "other", run[2]), default));

        var created = await store.TryCreateRunAsync(run, default);

        Assert.Equal(3, created);
        foreach (var i in new[] { 0, 1, 2 })
        {
            Assert.Equal(run[i], await store.FindAsync(chain, $"run-{i}", default));
        }
        // Nothing after the taken sequence: run-4 would link to a record that is not there.
        Assert.NotNull(await store.FindAsync(chain, "other", default));
        Assert.Null(await store.FindAsync(chain, "run-3", default));
        Assert.Null(await store.FindAsync(chain, "run-4", default));
    }

    [Theory]
    [MemberData(nameof(StoreTargets.BeyondTestServer), MemberType = typeof(StoreTargets))]
    public async Task Appends_make_a_chain_that_reads_back_in_order_and_verifies(string target)
    {
        var log = new AuditLog(await StoreTargets.CreateAuditStoreAsync(target));
        for (var i = 0; i < 12; i++)
        {
            await log.AppendAsync(Entry("case-x", i), default);
        }
        await log.AppendAsync(Entry("case-y", 0), default);

        var chain = await log.ReadChainAsync("case-x", default);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), chain.Select(r => r.Sequence));
        Assert.Equal(AuditVerification.Intact, AuditVerifier.Verify(chain));
        Assert.Single(await log.ReadChainAsync("case-y", default));
    }

    [Theory]
    [MemberData(nameof(StoreTargets.BeyondTestServer), MemberType = typeof(StoreTargets))]
    public async Task Concurrent_appends_to_one_chain_do_not_fork_it(string target)
    {
        var log = new AuditLog(await StoreTargets.CreateAuditStoreAsync(target));
        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => log.AppendAsync(Entry("case-z", i), default))));

        var chain = await log.ReadChainAsync("case-z", default);
        Assert.Equal(6, chain.Count);
        Assert.True(AuditVerifier.Verify(chain).Valid);
    }

    // SQLite only: the Cosmos DB test server cannot do this (StoreTargets), and a case that runs only against a real
    // account never runs here; the Cosmos side is CosmosQueryTests'.
    [Fact]
    public async Task A_range_of_a_chain_reads_back_from_its_first_sequence_in_order_and_stops_at_its_count()
    {
        var store = await StoreTargets.CreateAuditStoreAsync(StoreTargets.Sqlite);
        var log = new AuditLog(store);
        for (var i = 0; i < 12; i++)
        {
            await log.AppendAsync(Entry("case-r", i), default);
            // Another chain interleaved, so the range cannot be right by reading rows in insertion order.
            await log.AppendAsync(Entry("case-s", i), default);
        }
        var whole = await store.ReadChainAsync("case-r", default);

        Assert.Equal(whole.Skip(4).Take(5), await store.ReadChainAsync("case-r", 4, 5, default));
        Assert.Equal(whole.Take(3), await store.ReadChainAsync("case-r", 0, 3, default));
        Assert.Equal(whole.Skip(10), await store.ReadChainAsync("case-r", 10, 50, default));
        Assert.Empty(await store.ReadChainAsync("case-r", 12, 5, default));
        Assert.Empty(await store.ReadChainAsync("no-such-chain", 0, 5, default));

        // A page read through the log verifies from the record before it, as stored.
        var page = await log.ReadPageAsync("case-r", 5, 4, default);
        Assert.Equal((true, 5L, 8L, 9L), (page.Verification.Valid, page.FromSequence, page.ToSequence, page.NextSequence));
    }
}
