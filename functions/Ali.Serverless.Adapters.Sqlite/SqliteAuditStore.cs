using System.Text.Json;
using Ali.Serverless.Audit;
using Ali.Serverless.Common;
using Microsoft.Data.Sqlite;

namespace Ali.Serverless.Adapters.Sqlite;

/// <summary>
/// Audit records keyed by (chain, sequence). Insert only: this class has no UPDATE or DELETE, and the
/// primary key makes a second writer of one sequence fail instead of forking the chain.
/// </summary>
public sealed class SqliteAuditStore(SqliteDatabase database) : IAuditStore
{
    private const int PrimaryKeyOrUniqueViolation = 19; // SQLITE_CONSTRAINT

    public Task<AuditRecord?> GetLastAsync(string chain, CancellationToken cancellationToken) =>
        SingleAsync("SELECT document FROM audit WHERE chain = $chain ORDER BY sequence DESC LIMIT 1", chain, null, cancellationToken);

    public Task<AuditRecord?> FindAsync(string chain, string id, CancellationToken cancellationToken) =>
        SingleAsync("SELECT document FROM audit WHERE chain = $chain AND record_id = $id", chain, id, cancellationToken);

    public async Task<bool> TryCreateAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO audit (chain, sequence, record_id, document) VALUES ($chain, $sequence, $id, $document)";
        command.Parameters.AddWithValue("$chain", record.Chain);
        command.Parameters.AddWithValue("$sequence", record.Sequence);
        command.Parameters.AddWithValue("$id", record.Id);
        command.Parameters.AddWithValue("$document", JsonSerializer.Serialize(record, DocumentJson.Options));
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == PrimaryKeyOrUniqueViolation)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<AuditRecord>> ReadChainAsync(string chain, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT document FROM audit WHERE chain = $chain ORDER BY sequence";
        command.Parameters.AddWithValue("$chain", chain);
        var records = new List<AuditRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(JsonSerializer.Deserialize<AuditRecord>(reader.GetString(0), DocumentJson.Options)!);
        }
        return records;
    }

    private async Task<AuditRecord?> SingleAsync(string sql, string chain, string? id, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$chain", chain);
        if (id is not null)
        {
            command.Parameters.AddWithValue("$id", id);
        }
        return await command.ExecuteScalarAsync(cancellationToken) is string json
            ? JsonSerializer.Deserialize<AuditRecord>(json, DocumentJson.Options)
            : null;
    }
}
