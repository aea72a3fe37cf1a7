namespace Ali.Serverless.Audit;

/// <summary>Whether a chain is intact and, if not, the first sequence where it breaks and why.</summary>
public sealed record AuditVerification(bool Valid, long? FirstBrokenSequence = null, string? Reason = null)
{
    public static readonly AuditVerification Intact = new(true);
}

/// <summary>
/// Checks a chain as read, in order: each record must carry the next sequence, the hash of the record
/// before (64 zeros for the first), and a hash that matches its own content. A changed record fails its
/// hash; a removed one leaves a sequence gap (or, renumbered, a hash or link mismatch); a reordered one
/// is out of sequence; a forged one added at the end does not link to the real last record.
/// </summary>
public static class AuditVerifier
{
    public static AuditVerification Verify(IReadOnlyList<AuditRecord> records) =>
        Walk(records, 0, AuditRecord.GenesisHash, records.Count > 0 ? records[0].Chain : null);

    /// <summary>
    /// Checks one page of a chain, the records from <paramref name="fromSequence"/> on: each as
    /// <see cref="Verify"/> does, and the page's first record linked to <paramref name="before"/>, the
    /// record at <paramref name="fromSequence"/> - 1 (none for a page from sequence 0, which links to
    /// 64 zeros). The record before is only the anchor: its own hash is checked by the page that holds it,
    /// so a client that walks every page has checked the whole chain.
    /// </summary>
    public static AuditVerification VerifyPage(string chain, long fromSequence, AuditRecord? before, IReadOnlyList<AuditRecord> page)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromSequence);
        if (fromSequence == 0)
        {
            return Walk(page, 0, AuditRecord.GenesisHash, chain);
        }
        if (before is null || before.Chain != chain || before.Sequence != fromSequence - 1)
        {
            return new(false, fromSequence, $"Record {fromSequence - 1}, the one before this page, is missing: the page cannot be linked to the chain.");
        }
        return Walk(page, fromSequence, before.Hash, chain);
    }

    /// <summary>The records must carry <paramref name="firstSequence"/>, +1, +2... each linked to the one before.</summary>
    private static AuditVerification Walk(IReadOnlyList<AuditRecord> records, long firstSequence, string previousHash, string? chain)
    {
        for (var position = 0; position < records.Count; position++)
        {
            var record = records[position];
            var expected = firstSequence + position;
            if (record.Chain != chain)
            {
                return new(false, expected, $"The record at position {position} belongs to the chain '{record.Chain}'.");
            }
            if (record.Sequence != expected)
            {
                var laterInChain = records.Skip(position + 1).Any(r => r.Sequence == expected);
                return new(false, expected, record.Sequence > expected && !laterInChain
                    ? $"Sequence {expected} is missing: the next record carries {record.Sequence}."
                    : $"Records are out of order: sequence {record.Sequence} found where {expected} belongs.");
            }
            if (AuditRecord.HashOf(record) != record.Hash)
            {
                return new(false, expected, $"Record {expected} does not match its hash: it was changed.");
            }
            if (record.PreviousHash != previousHash)
            {
                return new(false, expected, $"Record {expected} does not carry the hash of the record before it: a record was removed or replaced.");
            }
            previousHash = record.Hash;
        }
        return AuditVerification.Intact;
    }
}
