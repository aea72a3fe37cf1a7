using System.Text.Json;
using Ali.Serverless.Applications;
using Ali.Serverless.Common;
using Ali.Serverless.Supervision;
using Microsoft.Data.Sqlite;

namespace Ali.Serverless.Adapters.Sqlite;

/// <summary>Warnings keyed by (department, id): the id makes a second raise of the same warning a no-op.</summary>
public sealed class SqliteWarningStore(SqliteDatabase database) : IWarningStore
{
    private const int SqliteConstraintViolation = 19;

    public async Task<bool> CreateAsync(SupervisionWarning warning, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO warnings (department_code, id, level, raised_at, queued_at, document)
            VALUES ($department, $id, $level, $raised, NULL, $document)
            """;
        command.Parameters.AddWithValue("$department", warning.DepartmentCode);
        command.Parameters.AddWithValue("$id", warning.Id);
        command.Parameters.AddWithValue("$level", warning.Level);
        command.Parameters.AddWithValue("$raised", warning.RaisedAt.UtcTicks);
        command.Parameters.AddWithValue("$document", JsonSerializer.Serialize(warning with { QueuedAt = null }, DocumentJson.Options));
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteConstraintViolation)
        {
            return false;
        }
    }

    public async Task MarkQueuedAsync(SupervisionWarning warning, DateTimeOffset queuedAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE warnings SET queued_at = $queued, document = $document WHERE department_code = $department AND id = $id";
        command.Parameters.AddWithValue("$department", warning.DepartmentCode);
        command.Parameters.AddWithValue("$id", warning.Id);
        command.Parameters.AddWithValue("$queued", queuedAt.UtcTicks);
        command.Parameters.AddWithValue("$document", JsonSerializer.Serialize(warning with { QueuedAt = queuedAt }, DocumentJson.Options));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Page<SupervisionWarning>> ListAsync(string? level, string? department, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var (beforeRaised, beforeId) = continuationToken is null ? (long.MaxValue, "\uffff") : KeysetTokens.Decode(continuationToken);
        using var reads = database.Read();
        var command = reads.Command("""
            SELECT document, raised_at, id FROM warnings
            WHERE ($level IS NULL OR level = $level) AND ($department IS NULL OR department_code = $department)
              AND (raised_at < $raised OR (raised_at = $raised AND id < $id))
            ORDER BY raised_at DESC, id DESC
            LIMIT $limit
            """);
        command.Parameters.AddWithValue("$level", (object?)level ?? DBNull.Value);
        command.Parameters.AddWithValue("$department", (object?)department ?? DBNull.Value);
        command.Parameters.AddWithValue("$raised", beforeRaised);
        command.Parameters.AddWithValue("$id", beforeId);
        command.Parameters.AddWithValue("$limit", pageSize + 1);
        var rows = new List<(SupervisionWarning Warning, long Raised, string Id)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((Deserialize(reader.GetString(0)), reader.GetInt64(1), reader.GetString(2)));
            }
        }
        var page = rows.Take(pageSize).ToList();
        var next = rows.Count > pageSize ? KeysetTokens.Encode(page[^1].Raised, page[^1].Id) : null;
        return new Page<SupervisionWarning>(page.Select(r => r.Warning).ToList(), next);
    }

    public async Task<IReadOnlyList<SupervisionWarning>> ListUnqueuedAsync(int max, CancellationToken cancellationToken)
    {
        using var reads = database.Read();
        var command = reads.Command("SELECT document FROM warnings WHERE queued_at IS NULL ORDER BY raised_at LIMIT $max");
        command.Parameters.AddWithValue("$max", max);
        var result = new List<SupervisionWarning>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(Deserialize(reader.GetString(0)));
        }
        return result;
    }

    private static SupervisionWarning Deserialize(string json) => JsonSerializer.Deserialize<SupervisionWarning>(json, DocumentJson.Options)!;
}
