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
    public static AuditVerification Verify(IReadOnlyList<AuditRecord> records)
    {
        string previousHash = AuditRecord.GenesisHash;
        string? chain = records.Count > 0 ? records[0].Chain : null;
        for (var expected = 0; expected < records.Count; expected++)
        {
            var record = records[expected];
            if (record.Chain != chain)
            {
                return new(false, expected, $"The record at position {expected} belongs to the chain '{record.Chain}'.");
            }
            if (record.Sequence != expected)
            {
                var laterInChain = records.Skip(expected + 1).Any(r => r.Sequence == expected);
                return new(false, expected, record.Sequence > expected && !laterInChain
                    ? $"Sequence {expected} is missing: the next record carries {record.Sequence}."
                    : $"Records are out of order: sequence {record.Sequence} found where {expected} belongs.");
            }
            if (AuditRecord.ComputeHash(record) != record.Hash)
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
