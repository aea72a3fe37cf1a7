using System.Text.Json;
using Ali.Serverless.Common;
using Ali.Serverless.Notifications;

namespace Ali.Serverless.Adapters.Sqlite;

public sealed class SqlitePreferenceStore(SqliteDatabase database) : IPreferenceStore
{
    public async Task<Preferences?> GetAsync(string subjectKey, CancellationToken cancellationToken)
    {
        using var reads = database.Read();
        var command = reads.Command("SELECT document FROM preferences WHERE subject_key = $key");
        command.Parameters.AddWithValue("$key", subjectKey);
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? JsonSerializer.Deserialize<Preferences>(json, DocumentJson.Options) : null;
    }

    public async Task PutAsync(Preferences preferences, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO preferences (subject_key, document) VALUES ($key, $document)
            ON CONFLICT (subject_key) DO UPDATE SET document = excluded.document
            """;
        command.Parameters.AddWithValue("$key", preferences.SubjectKey);
        command.Parameters.AddWithValue("$document", JsonSerializer.Serialize(preferences, DocumentJson.Options));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
