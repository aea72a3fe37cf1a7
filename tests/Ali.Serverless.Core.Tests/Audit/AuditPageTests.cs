using Ali.Serverless.Audit;
using Ali.Serverless.Core.Tests.Support;

namespace Ali.Serverless.Core.Tests.Audit;

/// <summary>A page of a chain is verified on its own, anchored on the record before it (decision 27).</summary>
public sealed class AuditPageTests
{
    private const string CaseChain = "542500-20260601-0000000001";
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 2, 0, 0, TimeSpan.Zero);

    private static List<AuditRecord> Chain(int count)
    {
        var records = new List<AuditRecord>();
        for (var i = 0; i < count; i++)
        {
            var entry = new AuditEntry
            {
                Chain = CaseChain,
                Time = Start.AddMinutes(i),
                Actor = $"supervisor-{i % 3}",
                Role = "supervisor",
                Action = "audit.read",
                Object = $"case:{CaseChain}",
                Outcome = AuditActions.Success,
            };
            records.Add(AuditRecord.Next(entry, $"id-{i}", records.LastOrDefault()));
        }
        return records;
    }

    [Fact]
    public void An_intact_page_in_the_middle_verifies_from_the_record_before_it()
    {
        var chain = Chain(10);

        var result = AuditVerifier.VerifyPage(CaseChain, 4, chain[3], chain.GetRange(4, 3));

        Assert.Equal(AuditVerification.Intact, result);
    }

    [Fact]
    public void The_first_page_links_to_the_genesis_hash_and_needs_no_record_before()
    {
        var chain = Chain(5);
        Assert.Equal(AuditVerification.Intact, AuditVerifier.VerifyPage(CaseChain, 0, null, chain.GetRange(0, 2)));

        var forged = chain[0] with { PreviousHash = new string('f', 64) };
        var result = AuditVerifier.VerifyPage(CaseChain, 0, null, [forged with { Hash = AuditRecord.ComputeHash(forged) }, chain[1]]);
        Assert.Equal((false, 0L), (result.Valid, result.FirstBrokenSequence));
    }

    [Fact]
    public void A_changed_record_in_the_page_is_found_at_its_sequence()
    {
        var chain = Chain(10);
        var page = chain.GetRange(4, 4);
        page[2] = page[2] with { Actor = "someone-else" };

        var result = AuditVerifier.VerifyPage(CaseChain, 4, chain[3], page);

        Assert.Equal((false, 6L), (result.Valid, result.FirstBrokenSequence));
        Assert.Contains("changed", result.Reason);
    }

    [Fact]
    public void A_removed_record_at_the_pages_start_is_found_by_the_link_to_the_record_before()
    {
        // Record 4 removed and the rest renumbered down with recomputed hashes except the link: a forger
        // who cannot rewrite record 3 (the previous page) is caught where the page meets it.
        var chain = Chain(10);
        var renumbered = chain.Skip(5).Select((r, i) => r with { Sequence = 4 + i }).ToList();
        for (var i = 0; i < renumbered.Count; i++)
        {
            var linked = renumbered[i] with { PreviousHash = i == 0 ? renumbered[i].PreviousHash : renumbered[i - 1].Hash };
            renumbered[i] = linked with { Hash = AuditRecord.ComputeHash(linked) };
        }

        var result = AuditVerifier.VerifyPage(CaseChain, 4, chain[3], renumbered.GetRange(0, 3));

        Assert.Equal((false, 4L), (result.Valid, result.FirstBrokenSequence));
        Assert.Contains("hash of the record before", result.Reason);
    }

    [Fact]
    public void A_removed_record_at_the_pages_start_leaves_a_gap_when_the_rest_keep_their_sequences()
    {
        var chain = Chain(10);

        var result = AuditVerifier.VerifyPage(CaseChain, 4, chain[3], chain.GetRange(5, 3));

        Assert.Equal((false, 4L), (result.Valid, result.FirstBrokenSequence));
        Assert.Contains("missing", result.Reason);
    }

    [Fact]
    public void A_missing_or_wrong_record_before_the_page_fails_the_page()
    {
        var chain = Chain(10);
        var page = chain.GetRange(4, 3);

        Assert.Equal((false, 4L), Pair(AuditVerifier.VerifyPage(CaseChain, 4, null, page)));
        Assert.Equal((false, 4L), Pair(AuditVerifier.VerifyPage(CaseChain, 4, chain[2], page)));
        Assert.Equal((false, 4L), Pair(AuditVerifier.VerifyPage(CaseChain, 4, chain[3] with { Chain = "another" }, page)));
        // The record before was changed and its hash recomputed: its hash no longer matches the page's first link.
        var forged = chain[3] with { Actor = "someone-else" };
        Assert.Equal((false, 4L), Pair(AuditVerifier.VerifyPage(CaseChain, 4, forged with { Hash = AuditRecord.ComputeHash(forged) }, page)));
    }

    private static (bool, long?) Pair(AuditVerification v) => (v.Valid, v.FirstBrokenSequence);

    [Fact]
    public async Task The_log_reads_a_page_with_its_anchor_and_says_where_the_next_page_starts()
    {
        var store = new InMemoryAuditStore();
        foreach (var record in Chain(7))
        {
            store.Put(record);
        }
        var log = new AuditLog(store);

        var first = await log.ReadPageAsync(CaseChain, 0, 3, default);
        Assert.Equal([0L, 1, 2], first.Records.Select(r => r.Sequence));
        Assert.Equal((true, 0L, 2L, 3L), (first.Verification.Valid, first.FromSequence, first.ToSequence, first.NextSequence));

        var middle = await log.ReadPageAsync(CaseChain, 3, 3, default);
        Assert.Equal([3L, 4, 5], middle.Records.Select(r => r.Sequence));
        Assert.Equal((true, 6L), (middle.Verification.Valid, middle.NextSequence));

        var last = await log.ReadPageAsync(CaseChain, 6, 3, default);
        Assert.Equal([6L], last.Records.Select(r => r.Sequence));
        Assert.Equal((true, 6L, (long?)null), (last.Verification.Valid, last.ToSequence, last.NextSequence));

        // A chain exactly one page long: no next page is promised.
        Assert.Null((await log.ReadPageAsync(CaseChain, 4, 3, default)).NextSequence);
    }

    [Fact]
    public async Task A_page_past_the_end_is_empty_and_says_whether_the_record_before_it_exists()
    {
        var store = new InMemoryAuditStore();
        foreach (var record in Chain(3))
        {
            store.Put(record);
        }
        var log = new AuditLog(store);

        var atEnd = await log.ReadPageAsync(CaseChain, 3, 5, default);
        Assert.Equal((0, true, true, (long?)null), (atEnd.Records.Count, atEnd.AnchorFound, atEnd.Verification.Valid, atEnd.ToSequence));

        var beyond = await log.ReadPageAsync(CaseChain, 40, 5, default);
        Assert.Equal((0, false), (beyond.Records.Count, beyond.AnchorFound));
    }

    [Fact]
    public void Tokens_are_plain_sequences_and_nothing_else_reads_as_one()
    {
        Assert.True(AuditPages.TryReadToken(AuditPages.Token(100), out var sequence));
        Assert.Equal(100L, sequence);
        Assert.True(AuditPages.TryReadToken(long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), out _));
        string[] refused = ["", "-1", "+5", " 5", "5 ", "1.5", "1e3", "\u200B5", "٥", "abc", "99999999999999999999", new string('1', 4_000)];
        Assert.All(refused, token => Assert.False(AuditPages.TryReadToken(token, out _), token));
    }
}
