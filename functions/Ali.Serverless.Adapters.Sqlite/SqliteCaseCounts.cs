using Ali.Serverless.Applications;
using Ali.Serverless.Operations;

namespace Ali.Serverless.Adapters.Sqlite;

/// <summary>
/// Applications per state for the <c>ali.cases.current</c> gauge: one scan of the table, reading the status from
/// each document (there is no status column). Run at most every few minutes, never per request.
/// </summary>
public sealed class SqliteCaseCounts(SqliteDatabase database) : ICaseCounts
{
    public async Task<IReadOnlyDictionary<ApplicationStatus, long>> CountByStatusAsync(CancellationToken cancellationToken)
    {
        using var reads = database.Read();
        var command = reads.Command("SELECT json_extract(document, '$.status') AS status, COUNT(*) FROM applications GROUP BY status");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<ApplicationStatus, long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            // A status this version does not know (written by a newer one) is left out rather than guessed.
            if (ApplicationStatusNames.FromWire(reader.IsDBNull(0) ? null : reader.GetString(0)) is { } status)
            {
                counts[status] = reader.GetInt64(1);
            }
        }
        return counts;
    }
}
