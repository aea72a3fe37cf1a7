using System.Buffers;
using Ali.Serverless.Identity;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Ali.Serverless.Audit;

/// <summary>Actions and outcomes written in audit records, and the chains that are not a case.</summary>
public static class AuditActions
{
    /// <summary>Whatever a caller typed as an id, cut short so a refusal record cannot be used to store a novel.</summary>
    public static string Clipped(string typed) => typed.Length <= 64 ? typed : typed[..64];

    public const string CaseRead = "case.read";
    public const string TaskRead = "task.read";
    public const string AuditRead = "audit.read";
    public const string PermissionRefused = "permission.refused";
    public const string StaffRequest = "staff.request";

    // Intake steps before and around the case: written through the application's outbox, as workflow steps are.
    public const string ApplicationOpen = "application.open";
    public const string MaterialDeclare = "material.declare";
    public const string MaterialVerify = "material.verify";
    public const string ApplicationSubmit = "application.submit";

    /// <summary>A link to a material's sealed bytes was issued (or refused).</summary>
    public const string MaterialReadLink = "material.read-link";

    /// <summary>The object of a material's records.</summary>
    public static string MaterialObject(string materialId) => $"material:{materialId}";

    /// <summary>A workflow step, named as the timeline names it (<c>case.accept</c>, <c>case.complete</c>...).</summary>
    public static string CaseStep(string step) => $"case.{step}";

    public const string Success = "success";
    public const string Refused = "refused";

    /// <summary>The subject of records made by the platform itself (the pre-check, timers).</summary>
    public const string SystemActor = "system";

    /// <summary>
    /// Records without a case (refusals, staff requests, a draft's withdrawal) go to one chain per UTC day
    /// and actor: no chain grows without end, one person's day can be verified and exported on its own,
    /// and different people never contend for the same chain's next sequence.
    /// </summary>
    public static string DayChain(DateTimeOffset time, string actor) => $"day:{time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}:{actor}";
}

/// <summary>
/// What happened, before it is placed in a chain. <see cref="Id"/> makes an append idempotent: an
/// outbox effect done twice carries the same id and finds its record already there. Actor, role and
/// department are subject ids and codes, never names or identity numbers.
/// </summary>
public sealed record AuditEntry
{
    public string? Id { get; init; }
    public required string Chain { get; init; }
    public required DateTimeOffset Time { get; init; }
    public required string Actor { get; init; }
    public required string Role { get; init; }
    public string? Department { get; init; }
    public required string Action { get; init; }
    public string? Object { get; init; }
    public required string Outcome { get; init; }
    public string? ClientAddress { get; init; }
    public string? TraceId { get; init; }

    /// <summary>
    /// What <paramref name="caller"/> did to <paramref name="target"/>, on the case's chain, or on the caller's
    /// day chain when there is no case (or when naming it would confirm to the caller that it exists).
    /// </summary>
    public static AuditEntry By(Caller caller, string? caseNumber, string action, string? target, string outcome, DateTimeOffset now) => new()
    {
        Chain = caseNumber ?? AuditActions.DayChain(now, caller.Subject),
        Time = now,
        Actor = caller.Subject,
        Role = caller.Role,
        Department = caller.Department,
        Action = action,
        Object = target,
        Outcome = outcome,
        ClientAddress = caller.ClientAddress,
        TraceId = caller.TraceId,
    };
}

/// <summary>
/// One record of an append-only chain: <see cref="Sequence"/> 0, 1, 2... within <see cref="Chain"/>
/// (a case number, or a day chain), and <see cref="Hash"/> over every other field including the hash of
/// the record before, so a changed, removed or reordered record breaks the chain from there on.
/// </summary>
public sealed record AuditRecord
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    public required string Id { get; init; }
    public required string Chain { get; init; }
    public required long Sequence { get; init; }
    public required DateTimeOffset Time { get; init; }
    public required string Actor { get; init; }
    public required string Role { get; init; }
    public string? Department { get; init; }
    public required string Action { get; init; }
    public string? Object { get; init; }
    public required string Outcome { get; init; }
    public string? ClientAddress { get; init; }
    public string? TraceId { get; init; }
    public required string PreviousHash { get; init; }
    public required string Hash { get; init; }

    /// <summary>The record that follows <paramref name="previous"/> (null: the chain's first) in the chain.</summary>
    public static AuditRecord Next(AuditEntry entry, string id, AuditRecord? previous)
    {
        var unsealed = new AuditRecord
        {
            Id = id,
            Chain = entry.Chain,
            Sequence = previous is null ? 0 : previous.Sequence + 1,
            // UTC to the microsecond: every store keeps that exactly, so the hash survives a round trip.
            Time = new DateTimeOffset(entry.Time.UtcTicks - entry.Time.UtcTicks % 10, TimeSpan.Zero),
            Actor = entry.Actor,
            Role = entry.Role,
            Department = entry.Department,
            Action = entry.Action,
            Object = entry.Object,
            Outcome = entry.Outcome,
            ClientAddress = entry.ClientAddress,
            TraceId = entry.TraceId,
            PreviousHash = previous?.Hash ?? GenesisHash,
            Hash = "",
        };
        return unsealed with { Hash = ComputeHash(unsealed) };
    }

    /// <summary>
    /// Hex SHA-256 of the canonical form: a JSON array of every field but the hash, in a fixed order,
    /// time as UTC ISO 8601 with seven fraction digits, absent values as null. A JSON array, not a
    /// joined string, so no field's content can imitate a separator.
    /// </summary>
    public static string ComputeHash(AuditRecord record)
    {
        // The buffer and writer of this thread are used again: every append and every verified record of a trail page
        // hashes, and a new stream and writer each time was most of the hashing's cost (docs/performance.md).
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        writer.Reset(buffer);
        writer.WriteStartArray();
        writer.WriteStringValue(record.Id);
        writer.WriteStringValue(record.Chain);
        writer.WriteNumberValue(record.Sequence);
        Span<char> time = stackalloc char[28];
        record.Time.UtcDateTime.TryFormat(time, out var timeLength, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        writer.WriteStringValue(time[..timeLength]);
        WriteNullable(writer, record.Actor);
        WriteNullable(writer, record.Role);
        WriteNullable(writer, record.Department);
        WriteNullable(writer, record.Action);
        WriteNullable(writer, record.Object);
        WriteNullable(writer, record.Outcome);
        WriteNullable(writer, record.ClientAddress);
        WriteNullable(writer, record.TraceId);
        WriteNullable(writer, record.PreviousHash);
        writer.WriteEndArray();
        writer.Flush();
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// <see cref="ComputeHash"/> of this very instance, worked out once: a record is immutable (a changed copy is a new
    /// instance), and a store hands out the same instance for the same stored text (decision 30), so a trail page read
    /// again is not hashed again while any change to what is stored is.
    /// </summary>
    public static string HashOf(AuditRecord record) => Hashes.GetValue(record, ComputeHash);

    private static readonly ConditionalWeakTable<AuditRecord, string> Hashes = new();

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private static void WriteNullable(Utf8JsonWriter writer, string? value)
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
}

/// <summary>
/// A page of a case's audit chain as supervisors read it, with the result of verifying it: from
/// <paramref name="FromSequence"/> to <paramref name="ToSequence"/> (none on an empty page), and the token
/// of the next page (none on the last).
/// </summary>
public sealed record CaseAudit(
    string CaseNumber,
    IReadOnlyList<AuditRecord> Records,
    AuditVerification Verification,
    long FromSequence = 0,
    long? ToSequence = null,
    string? ContinuationToken = null);
