using System.Text.Json;
using Ali.Serverless.Applications;
using Ali.Serverless.Cases;
using Ali.Serverless.Common;
using Microsoft.Data.Sqlite;

namespace Ali.Serverless.Adapters.Sqlite;

/// <summary>Tasks keyed by (department, id), like the Cosmos container partitioned by department.</summary>
public sealed class SqliteTaskStore(SqliteDatabase database) : ITaskStore
{
    private readonly ParsedDocuments<CaseTask> _parsed = new();

    public async Task UpsertAsync(CaseTask task, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO tasks (department_code, id, state, kind, due_at, document) VALUES ($department, $id, $state, $kind, $due, $document)
            ON CONFLICT (department_code, id) DO UPDATE SET state = excluded.state, kind = excluded.kind, due_at = excluded.due_at, document = excluded.document
            """;
        command.Parameters.AddWithValue("$department", task.DepartmentCode);
        command.Parameters.AddWithValue("$id", task.Id);
        command.Parameters.AddWithValue("$state", TaskView.Wire(task.State));
        command.Parameters.AddWithValue("$kind", TaskView.Wire(task.Kind));
        command.Parameters.AddWithValue("$due", task.DueAt.UtcTicks);
        command.Parameters.AddWithValue("$document", JsonSerializer.Serialize(task, DocumentJson.Options));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<CaseTask?> GetAsync(string departmentCode, string taskId, CancellationToken cancellationToken)
    {
        using var reads = database.Read();
        var command = reads.Command("SELECT document FROM tasks WHERE department_code = $department AND id = $id");
        command.Parameters.AddWithValue("$department", departmentCode);
        command.Parameters.AddWithValue("$id", taskId);
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? Deserialize(json) : null;
    }

    public async Task<Page<CaseTask>> ListOpenAsync(string departmentCode, TaskKind? kind, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var (afterDue, afterId) = continuationToken is null ? (long.MinValue, "") : KeysetTokens.Decode(continuationToken);
        using var reads = database.Read();
        var command = reads.Command("""
            SELECT document, due_at, id FROM tasks
            WHERE department_code = $department AND state = 'open' AND ($kind IS NULL OR kind = $kind)
              AND (due_at > $due OR (due_at = $due AND id > $id))
            ORDER BY due_at, id
            LIMIT $limit
            """);
        command.Parameters.AddWithValue("$department", departmentCode);
        command.Parameters.AddWithValue("$kind", kind is null ? DBNull.Value : TaskView.Wire(kind.Value));
        command.Parameters.AddWithValue("$due", afterDue);
        command.Parameters.AddWithValue("$id", afterId);
        command.Parameters.AddWithValue("$limit", pageSize + 1);
        var rows = new List<(CaseTask Task, long Due, string Id)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((Deserialize(reader.GetString(0)), reader.GetInt64(1), reader.GetString(2)));
            }
        }
        var page = rows.Take(pageSize).ToList();
        var next = rows.Count > pageSize ? KeysetTokens.Encode(page[^1].Due, page[^1].Id) : null;
        return new Page<CaseTask>(page.Select(r => r.Task).ToList(), next);
    }

    public async Task<IReadOnlyList<CaseTask>> ListOpenDueBeforeAsync(DateTimeOffset dueBefore, int max, CancellationToken cancellationToken)
    {
        using var reads = database.Read();
        var command = reads.Command("SELECT document FROM tasks WHERE state = 'open' AND due_at <= $before ORDER BY due_at LIMIT $max");
        command.Parameters.AddWithValue("$before", dueBefore.UtcTicks);
        command.Parameters.AddWithValue("$max", max);
        var result = new List<CaseTask>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(Deserialize(reader.GetString(0)));
        }
        return result;
    }

    private CaseTask Deserialize(string json) => _parsed.Parse(json);
}
