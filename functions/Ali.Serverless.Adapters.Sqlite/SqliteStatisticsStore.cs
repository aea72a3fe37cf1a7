using System.Text.Json;
using Ali.Serverless.Common;
using Ali.Serverless.Statistics;

namespace Ali.Serverless.Adapters.Sqlite;

/// <summary>Monthly statistics in SQLite: one row per month, replaced whole (the same semantics as the Cosmos container).</summary>
public sealed class SqliteStatisticsStore(SqliteDatabase database) : IStatisticsStore
{
    private readonly ParsedDocuments<MonthlyStatistics> _parsed = new();

    public async Task UpsertAsync(MonthlyStatistics statistics, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO statistics (period, computed_at, document) VALUES ($period, $computed, $document)
            ON CONFLICT (period) DO UPDATE SET computed_at = excluded.computed_at, document = excluded.document
            """;
        command.Parameters.AddWithValue("$period", statistics.Period);
        command.Parameters.AddWithValue("$computed", statistics.ComputedAt.UtcTicks);
        command.Parameters.AddWithValue("$document", JsonSerializer.Serialize(statistics, DocumentJson.Options));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<MonthlyStatistics?> GetAsync(string period, CancellationToken cancellationToken)
    {
        using var reads = database.Read();
        var command = reads.Command("SELECT document FROM statistics WHERE period = $period");
        command.Parameters.AddWithValue("$period", period);
        return await command.ExecuteScalarAsync(cancellationToken) is string json
            ? _parsed.Parse(json)
            : null;
    }
}
