using Ali.Serverless.Audit;

namespace Ali.Serverless.Core.Tests.Audit;

public sealed class AuditVerifierTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 2, 0, 0, TimeSpan.Zero);

    private static AuditEntry Entry(int i) => new()
    {
        Chain = "542500-20260601-0000000001",
        Time = Start.AddMinutes(i),
        Actor = $"reviewer-{i}",
        Role = "reviewer",
        Department = "542500-FGW",
        Action = i == 0 ? "case.pre-check" : "case.read",
        Object = $"task:{i}",
        Outcome = AuditActions.Success,
        ClientAddress = "10.0.0.1",
        TraceId = $"trace-{i}",
    };

    /// <summary>A chain of <paramref name="count"/> records built as the log builds them.</summary>
    private static List<AuditRecord> Chain(int count = 5)
    {
        var records = new List<AuditRecord>();
        for (var i = 0; i < count; i++)
        {
            records.Add(AuditRecord.Next(Entry(i), $"id-{i}", records.LastOrDefault()));
        }
        return records;
    }

    [Fact]
    public void An_untouched_chain_is_valid_and_links_from_64_zeros()
    {
        var chain = Chain();
        Assert.Equal(new string('0', 64), chain[0].PreviousHash);
        Assert.Equal([0L, 1, 2, 3, 4], chain.Select(r => r.Sequence));
        Assert.All(chain.Skip(1), (r, i) => Assert.Equal(chain[i].Hash, r.PreviousHash));
        Assert.Equal(AuditVerification.Intact, AuditVerifier.Verify(chain));
        Assert.True(AuditVerifier.Verify([]).Valid);
    }

    /// <summary>The canonical form as the comment of <see cref="AuditRecord.ComputeHash"/> states it, written the plain way.</summary>
    private static string CanonicalHash(AuditRecord r)
    {
        using var buffer = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(r.Id);
            writer.WriteStringValue(r.Chain);
            writer.WriteNumberValue(r.Sequence);
            writer.WriteStringValue(r.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            foreach (var value in new[] { r.Actor, r.Role, r.Department, r.Action, r.Object, r.Outcome, r.ClientAddress, r.TraceId, r.PreviousHash })
            {
                if (value is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    writer.WriteStringValue(value);
                }
            }
            writer.WriteEndArray();
        }
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(buffer.ToArray()));
    }

    [Fact]
    public async Task The_hash_is_sha256_of_the_canonical_form_for_any_content_and_on_every_thread()
    {
        var record = Chain(2)[1];
        AuditRecord[] records =
        [
            record,
            record with { Department = null, Object = null, ClientAddress = null, TraceId = null },
            record with { Actor = "办件 \"quoted\" \\ back\u0001", Object = "\u0F56\u0F7C\u0F51\u0F0B text 🙂", Time = new DateTimeOffset(2026, 12, 31, 23, 59, 59, TimeSpan.FromHours(8)).AddTicks(1230) },
            record with { Object = new string('x', 5000) },
        ];
        // A known value, from the form as it was first written: changing the form would leave every stored chain unverifiable.
        Assert.Equal("98b6001efe146c962af057d187faca59a5974db4e74bd32c09d05a69210dd866", record.Hash);
        Assert.Equal(CanonicalHash(record), record.Hash);
        var hashes = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() => AuditRecord.ComputeHash(records[i % records.Length]))));

        Assert.All(hashes, (hash, i) => Assert.Equal(CanonicalHash(records[i % records.Length]), hash));
        Assert.Equal(4, hashes.Distinct().Count());
    }

    [Fact]
    public void A_hash_worked_out_once_for_a_record_is_its_hash_and_a_changed_copy_is_hashed_afresh()
    {
        var record = Chain(2)[1];
        var remembered = AuditRecord.HashOf(record);
        var changed = record with { Actor = "someone-else" };

        Assert.Equal(record.Hash, remembered);
        Assert.Same(remembered, AuditRecord.HashOf(record));
        Assert.Equal(AuditRecord.ComputeHash(changed), AuditRecord.HashOf(changed));
        Assert.NotEqual(record.Hash, AuditRecord.HashOf(changed));
        Assert.False(AuditVerifier.Verify([Chain(2)[0], changed]).Valid);
    }

    [Fact]
    public void The_hash_covers_every_field()
    {
        var record = Chain(2)[1];
        AuditRecord[] changed =
        [
            record with { Id = "other" }, record with { Chain = "other" }, record with { Sequence = 7 },
            record with { Time = record.Time.AddTicks(10) }, record with { Actor = "x" }, record with { Role = "supervisor" },
            record with { Department = null }, record with { Action = "case.complete" }, record with { Object = null },
            record with { Outcome = AuditActions.Refused }, record with { ClientAddress = "10.0.0.2" }, record with { TraceId = null },
            record with { PreviousHash = new string('1', 64) },
        ];
        Assert.All(changed, c => Assert.NotEqual(record.Hash, AuditRecord.ComputeHash(c)));
    }

    [Fact]
    public void A_changed_field_is_found_at_its_record()
    {
        var chain = Chain();
        chain[2] = chain[2] with { Outcome = AuditActions.Refused };
        var result = AuditVerifier.Verify(chain);
        Assert.False(result.Valid);
        Assert.Equal(2, result.FirstBrokenSequence);
        Assert.Contains("changed", result.Reason);
    }

    [Fact]
    public void A_changed_record_with_a_recomputed_hash_breaks_the_link_after_it()
    {
        var chain = Chain();
        var forged = chain[2] with { Actor = "someone-else" };
        chain[2] = forged with { Hash = AuditRecord.ComputeHash(forged) };
        var result = AuditVerifier.Verify(chain);
        Assert.Equal((false, 3L), (result.Valid, result.FirstBrokenSequence));
    }

    [Fact]
    public void A_removed_record_is_found_where_it_was()
    {
        var chain = Chain();
        chain.RemoveAt(3);
        var result = AuditVerifier.Verify(chain);
        Assert.Equal((false, 3L), (result.Valid, result.FirstBrokenSequence));
        Assert.Contains("missing", result.Reason);
    }

    [Fact]
    public void A_removed_record_whose_successors_were_renumbered_is_found()
    {
        var chain = Chain();
        chain.RemoveAt(1);
        for (var i = 1; i < chain.Count; i++)
        {
            chain[i] = chain[i] with { Sequence = i };
        }
        var result = AuditVerifier.Verify(chain);
        Assert.Equal((false, 1L), (result.Valid, result.FirstBrokenSequence));
    }

    [Fact]
    public void Two_swapped_records_are_found_at_the_first()
    {
        var chain = Chain();
        (chain[1], chain[2]) = (chain[2], chain[1]);
        var result = AuditVerifier.Verify(chain);
        Assert.Equal((false, 1L), (result.Valid, result.FirstBrokenSequence));
        Assert.Contains("out of", result.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Two_swapped_records_that_kept_their_places_sequence_are_found()
    {
        var chain = Chain();
        (chain[1], chain[2]) = (chain[2] with { Sequence = 1 }, chain[1] with { Sequence = 2 });
        var result = AuditVerifier.Verify(chain);
        Assert.Equal((false, 1L), (result.Valid, result.FirstBrokenSequence));
    }

    [Fact]
    public void A_forged_record_appended_with_a_wrong_previous_hash_is_found()
    {
        var chain = Chain();
        var forged = chain[^1] with { Sequence = 5, Id = "forged", Action = "case.complete", PreviousHash = new string('a', 64) };
        chain.Add(forged with { Hash = AuditRecord.ComputeHash(forged) });
        var result = AuditVerifier.Verify(chain);
        Assert.Equal((false, 5L), (result.Valid, result.FirstBrokenSequence));
        Assert.Contains("hash of the record before", result.Reason);
    }

    [Fact]
    public void A_first_record_not_linked_to_zeros_is_found()
    {
        var chain = Chain(1);
        var forged = chain[0] with { PreviousHash = new string('f', 64) };
        var result = AuditVerifier.Verify([forged with { Hash = AuditRecord.ComputeHash(forged) }]);
        Assert.Equal((false, 0L), (result.Valid, result.FirstBrokenSequence));
    }
}
