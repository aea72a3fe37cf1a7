using System.Text.Json;
using Ali.Serverless.Cases;
using Ali.Serverless.Common;

namespace Ali.Serverless.Adapters.Sqlite;

public sealed class SqliteCaseIndex(SqliteDatabase database) : ICaseIndex
{
    public async Task UpsertAsync(CaseIndexEntry entry, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO cases (case_number, document) VALUES ($number, $document)
            ON CONFLICT (case_number) DO UPDATE SET document = excluded.document
            """;
        command.Parameters.AddWithValue("$number", entry.CaseNumber);
        command.Parameters.AddWithValue("$document", JsonSerializer.Serialize(entry, DocumentJson.Options));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<CaseIndexEntry?> GetAsync(string caseNumber, CancellationToken cancellationToken)
    {
        using var reads = database.Read();
        var command = reads.Command("SELECT document FROM cases WHERE case_number = $number");
        command.Parameters.AddWithValue("$number", caseNumber);
        return await command.ExecuteScalarAsync(cancellationToken) is string json
            ? JsonSerializer.Deserialize<CaseIndexEntry>(json, DocumentJson.Options)
            : null;
    }
}
