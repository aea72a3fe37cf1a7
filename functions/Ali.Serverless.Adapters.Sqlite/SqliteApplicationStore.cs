using System.Text;
using System.Text.Json;
using Ali.Serverless.Applications;
using Ali.Serverless.Common;
using Ali.Serverless.Retention;
using Ali.Serverless.PersonalData;
using Microsoft.Data.Sqlite;

namespace Ali.Serverless.Adapters.Sqlite;

/// <summary>
/// Applications in SQLite with the same semantics as the Cosmos DB container: a document per
/// application keyed by (owner, id), an ETag that changes on every write, and conditional replace.
/// Personal data in the document is encrypted on every write and decrypted on every read by the
/// protector (decision 13): no row holds an identity number, phone or form value in clear.
/// </summary>
public sealed class SqliteApplicationStore(SqliteDatabase database, IPersonalDataProtector protector) : IApplicationStore
{
    private readonly ParsedDocuments<Application> _parsed = new();

    private const int SqliteConstraintViolation = 19;

    public async Task<Stored<Application>?> CreateAsync(Application application, CancellationToken cancellationToken)
    {
        // Encrypted before the writer's turn is taken, so other writers do not wait for it.
        var stored = await protector.ProtectAsync(application, cancellationToken);
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO applications (owner_id, id, created_at, awaiting_dispatch_since, outbox_since, review_due_at, draft_since, ended_at, applicant_key, key_id, etag, document)
            VALUES ($owner, $id, $created, $awaiting, $outbox, $reviewDue, $draftSince, $endedAt, $applicantKey, $keyId, $etag, $document)
            """;
        var etag = NewETag();
        Bind(command, stored, etag);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteConstraintViolation)
        {
            return null;
        }
        return new Stored<Application>(application with { ApplicantKey = stored.ApplicantKey }, etag);
    }

    public async Task<Stored<Application>?> GetAsync(string ownerId, string id, CancellationToken cancellationToken)
    {
        using var reads = database.Read();
        var command = reads.Command("SELECT document, etag FROM applications WHERE owner_id = $owner AND id = $id");
        command.Parameters.AddWithValue("$owner", ownerId);
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Stored<Application>(await ReadAsync(reader.GetString(0), cancellationToken), reader.GetString(1))
            : null;
    }

    public async Task<bool> ExistsAsync(string ownerId, string id, CancellationToken cancellationToken)
    {
        // The primary key alone: the document is neither read nor decrypted.
        using var reads = database.Read();
        var command = reads.Command("SELECT 1 FROM applications WHERE owner_id = $owner AND id = $id");
        command.Parameters.AddWithValue("$owner", ownerId);
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task<Stored<Application>?> ReplaceAsync(Application application, string etag, CancellationToken cancellationToken)
    {
        var stored = await protector.ProtectAsync(application, cancellationToken);
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE applications
            SET awaiting_dispatch_since = $awaiting, outbox_since = $outbox, review_due_at = $reviewDue, draft_since = $draftSince, ended_at = $endedAt,
                applicant_key = $applicantKey, key_id = $keyId, etag = $etag, document = $document
            WHERE owner_id = $owner AND id = $id AND etag = $expected
            """;
        var newETag = NewETag();
        Bind(command, stored, newETag);
        command.Parameters.AddWithValue("$expected", etag);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1
            ? new Stored<Application>(application with { ApplicantKey = stored.ApplicantKey }, newETag)
            : null;
    }

    public async Task<Page<Application>> ListByOwnerAsync(string ownerId, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        using var reads = database.Read();
        // The first page (nearly every request) has no position to start after: its statement leaves the keyset
        // condition out, which SQLite prepares in about half the time (docs/performance.md, decision 26).
        var command = reads.Command(continuationToken is null ? ListByOwnerFirstPage : ListByOwnerAfter);
        if (continuationToken is not null)
        {
            var (afterCreated, afterId) = KeysetTokens.Decode(continuationToken);
            command.Parameters.AddWithValue("$created", afterCreated);
            command.Parameters.AddWithValue("$id", afterId);
        }
        command.Parameters.AddWithValue("$owner", ownerId);
        command.Parameters.AddWithValue("$limit", pageSize + 1);
        var rows = new List<(Application Application, long Created, string Id)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((await ReadAsync(reader.GetString(0), cancellationToken), reader.GetInt64(1), reader.GetString(2)));
            }
        }
        var hasMore = rows.Count > pageSize;
        var page = rows.Take(pageSize).ToList();
        var next = hasMore ? KeysetTokens.Encode(page[^1].Created, page[^1].Id) : null;
        return new Page<Application>(page.Select(r => r.Application).ToList(), next);
    }

    private const string ListByOwnerFirstPage = """
        SELECT document, created_at, id FROM applications
        WHERE owner_id = $owner
        ORDER BY created_at DESC, id DESC
        LIMIT $limit
        """;

    private const string ListByOwnerAfter = """
        SELECT document, created_at, id FROM applications
        WHERE owner_id = $owner AND (created_at < $created OR (created_at = $created AND id < $id))
        ORDER BY created_at DESC, id DESC
        LIMIT $limit
        """;

    public Task<IReadOnlyList<Application>> ListAwaitingDispatchAsync(DateTimeOffset submittedBefore, int max, CancellationToken cancellationToken) =>
        ListWhereAsync("awaiting_dispatch_since IS NOT NULL AND awaiting_dispatch_since < $before ORDER BY awaiting_dispatch_since", submittedBefore, max, cancellationToken);

    public Task<IReadOnlyList<Application>> ListWithPendingOutboxAsync(DateTimeOffset changedBefore, int max, CancellationToken cancellationToken) =>
        ListWhereAsync("outbox_since IS NOT NULL AND outbox_since < $before ORDER BY outbox_since", changedBefore, max, cancellationToken);

    public Task<IReadOnlyList<Application>> ListUnderReviewDueBeforeAsync(DateTimeOffset dueBefore, int max, CancellationToken cancellationToken) =>
        ListWhereAsync("review_due_at IS NOT NULL AND review_due_at <= $before ORDER BY review_due_at", dueBefore, max, cancellationToken);

    public Task<IReadOnlyList<Application>> ListDraftsUntouchedSinceAsync(DateTimeOffset untouchedSince, int max, CancellationToken cancellationToken) =>
        ListWhereAsync("draft_since IS NOT NULL AND draft_since < $before ORDER BY draft_since", untouchedSince, max, cancellationToken);

    public Task<IReadOnlyList<Application>> ListEndedBeforeAsync(DateTimeOffset endedBefore, int max, CancellationToken cancellationToken) =>
        ListWhereAsync("ended_at IS NOT NULL AND ended_at < $before ORDER BY ended_at", endedBefore, max, cancellationToken);

    public async Task<IReadOnlyList<Application>> ListCasesOpenDuringAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        // created_at precedes submission and ended_at follows the last step, so this is a superset; drafts are left out.
        using var reads = database.Read();
        var command = reads.Command("""
            SELECT document FROM applications
            WHERE draft_since IS NULL AND created_at < $to AND (ended_at IS NULL OR ended_at >= $from)
            ORDER BY created_at, id
            """);
        command.Parameters.AddWithValue("$from", from.UtcTicks);
        command.Parameters.AddWithValue("$to", to.UtcTicks);
        var result = new List<Application>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var application = await ReadAsync(reader.GetString(0), cancellationToken);
            if (application.CaseNumber is not null)
            {
                result.Add(application);
            }
        }
        return result;
    }

    public async Task DeleteAsync(string ownerId, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM applications WHERE owner_id = $owner AND id = $id";
        command.Parameters.AddWithValue("$owner", ownerId);
        command.Parameters.AddWithValue("$id", id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<IReadOnlyList<Application>> ListByApplicantKeyAsync(string applicantKey, int max, CancellationToken cancellationToken) =>
        ListWhereAsync("applicant_key = $value ORDER BY created_at DESC, id DESC", applicantKey, max, cancellationToken);

    public Task<IReadOnlyList<Application>> ListUnderOtherKeyAsync(string currentKeyId, int max, CancellationToken cancellationToken) =>
        ListWhereAsync("(key_id IS NULL OR key_id <> $value) ORDER BY created_at, id", currentKeyId, max, cancellationToken);

    private Task<IReadOnlyList<Application>> ListWhereAsync(string condition, DateTimeOffset before, int max, CancellationToken cancellationToken) =>
        ListWhereAsync(condition.Replace("$before", "$value", StringComparison.Ordinal), (object)before.UtcTicks, max, cancellationToken);

    private async Task<IReadOnlyList<Application>> ListWhereAsync(string condition, object value, int max, CancellationToken cancellationToken)
    {
        using var reads = database.Read();
        var command = reads.Command($"SELECT document FROM applications WHERE {condition} LIMIT $max");
        command.Parameters.AddWithValue("$value", value);
        command.Parameters.AddWithValue("$max", max);
        var result = new List<Application>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(await ReadAsync(reader.GetString(0), cancellationToken));
        }
        return result;
    }

    private static void Bind(SqliteCommand command, Application application, string etag)
    {
        var awaiting = application is { Status: ApplicationStatus.Submitted, SubmissionQueuedAt: null, SubmittedAt: { } submitted }
            ? (object)submitted.UtcTicks
            : DBNull.Value;
        command.Parameters.AddWithValue("$owner", application.OwnerId);
        command.Parameters.AddWithValue("$id", application.Id);
        command.Parameters.AddWithValue("$created", application.CreatedAt.UtcTicks);
        command.Parameters.AddWithValue("$awaiting", awaiting);
        command.Parameters.AddWithValue("$outbox", application.Outbox.Count > 0 ? application.UpdatedAt.UtcTicks : DBNull.Value);
        // The sooner of the two limits while under review: what supervision watches.
        var reviewDue = application.Status == ApplicationStatus.UnderReview
            ? new[] { application.PromisedDueAt, application.LegalDueAt }.Where(d => d is not null).Select(d => d!.Value.UtcTicks).DefaultIfEmpty().Min()
            : 0;
        command.Parameters.AddWithValue("$reviewDue", reviewDue > 0 ? reviewDue : DBNull.Value);
        // Retention: when a draft was last changed, and when a case ended (what the sweep compares).
        command.Parameters.AddWithValue("$draftSince", RetentionRules.IsDraft(application) ? application.UpdatedAt.UtcTicks : DBNull.Value);
        command.Parameters.AddWithValue("$endedAt", RetentionRules.HasEnded(application) ? application.UpdatedAt.UtcTicks : DBNull.Value);
        command.Parameters.AddWithValue("$applicantKey", (object?)application.ApplicantKey ?? DBNull.Value);
        command.Parameters.AddWithValue("$keyId", (object?)PersonalDataProtector.KeyIdOf(application.DataKey) ?? DBNull.Value);
        command.Parameters.AddWithValue("$etag", etag);
        command.Parameters.AddWithValue("$document", JsonSerializer.Serialize(application, DocumentJson.Options));
    }

    private async Task<Application> ReadAsync(string json, CancellationToken cancellationToken) =>
        await protector.UnprotectAsync(_parsed.Parse(json), cancellationToken);

    private static string NewETag() => $"\"{Guid.NewGuid():N}\"";
}
