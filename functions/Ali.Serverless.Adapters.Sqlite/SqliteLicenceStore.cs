using System.Text.Json;
using Ali.Serverless.Applications;
using Ali.Serverless.Common;
using Ali.Serverless.Licences;
using Microsoft.Data.Sqlite;

namespace Ali.Serverless.Adapters.Sqlite;

/// <summary>Licences keyed by id, with the number UNIQUE: the table itself refuses a second licence with either.</summary>
public sealed class SqliteLicenceStore(SqliteDatabase database) : ILicenceStore
{
    private readonly ParsedDocuments<Licence> _parsed = new();

    private const int SqliteConstraintViolation = 19;

    public async Task<LicenceCreateResult> CreateAsync(Licence licence, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO licences (id, number, holder_account_id, issued_at, etag, document)
            VALUES ($id, $number, $holder, $issued, $etag, $document)
            """;
        command.Parameters.AddWithValue("$id", licence.Id);
        command.Parameters.AddWithValue("$number", licence.Content.Number);
        command.Parameters.AddWithValue("$holder", (object?)licence.HolderAccountId ?? DBNull.Value);
        command.Parameters.AddWithValue("$issued", licence.IssuedAt.UtcTicks);
        command.Parameters.AddWithValue("$etag", Guid.NewGuid().ToString("N"));
        command.Parameters.AddWithValue("$document", JsonSerializer.Serialize(licence, DocumentJson.Options));
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new LicenceCreateResult(LicenceCreateOutcome.Created);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteConstraintViolation)
        {
            // Either the id (issued before) or the number (another licence's) is taken: the id decides which.
            var existing = await GetAsync(licence.Id, cancellationToken);
            return existing is not null
                ? new LicenceCreateResult(LicenceCreateOutcome.AlreadyIssued, existing)
                : new LicenceCreateResult(LicenceCreateOutcome.NumberTaken);
        }
    }

    public async Task<Stored<Licence>?> GetAsync(string id, CancellationToken cancellationToken)
    {
        using var reads = database.Read();
        var command = reads.Command("SELECT document, etag FROM licences WHERE id = $id");
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Stored<Licence>(_parsed.Parse(reader.GetString(0)), reader.GetString(1))
            : null;
    }

    public async Task<Stored<Licence>?> ReplaceAsync(Licence licence, string etag, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // The id, number and holder never change; only the document (its revocation) does.
        command.CommandText = "UPDATE licences SET etag = $etag, document = $document WHERE id = $id AND etag = $expected";
        var newETag = Guid.NewGuid().ToString("N");
        command.Parameters.AddWithValue("$id", licence.Id);
        command.Parameters.AddWithValue("$etag", newETag);
        command.Parameters.AddWithValue("$expected", etag);
        command.Parameters.AddWithValue("$document", JsonSerializer.Serialize(licence, DocumentJson.Options));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? new Stored<Licence>(licence, newETag) : null;
    }

    public async Task<IReadOnlyList<Licence>> ListByHolderAsync(string holderAccountId, CancellationToken cancellationToken)
    {
        using var reads = database.Read();
        var command = reads.Command("SELECT document FROM licences WHERE holder_account_id = $holder ORDER BY issued_at DESC, id DESC");
        command.Parameters.AddWithValue("$holder", holderAccountId);
        var licences = new List<Licence>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            licences.Add(_parsed.Parse(reader.GetString(0)));
        }
        return licences;
    }
}
