using System.Text.Json;
using Ali.Serverless.Catalog;
using Ali.Serverless.Common;

namespace Ali.Serverless.Adapters.Sqlite;

public sealed class SqliteCatalogStore(SqliteDatabase database) : ICatalogStore
{
    public async Task UpsertAsync(ServiceItem item, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO catalog_items (item_code, department_code, item_type, document)
            VALUES ($code, $department, $type, $document)
            ON CONFLICT (item_code) DO UPDATE SET
                department_code = excluded.department_code, item_type = excluded.item_type, document = excluded.document
            """;
        command.Parameters.AddWithValue("$code", item.ItemCode);
        command.Parameters.AddWithValue("$department", item.DepartmentCode);
        command.Parameters.AddWithValue("$type", item.ItemType);
        command.Parameters.AddWithValue("$document", JsonSerializer.Serialize(item, DocumentJson.Options));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ServiceItem?> GetAsync(string itemCode, CancellationToken cancellationToken)
    {
        using var reads = database.Read();
        var command = reads.Command("SELECT document FROM catalog_items WHERE item_code = $code");
        command.Parameters.AddWithValue("$code", itemCode);
        return await command.ExecuteScalarAsync(cancellationToken) is string json
            ? JsonSerializer.Deserialize<ServiceItem>(json, DocumentJson.Options)
            : null;
    }

    public async Task<IReadOnlyList<ServiceItem>> ListAsync(string? departmentCode, string? itemType, CancellationToken cancellationToken)
    {
        using var reads = database.Read();
        var command = reads.Command("""
            SELECT document FROM catalog_items
            WHERE ($department IS NULL OR department_code = $department) AND ($type IS NULL OR item_type = $type)
            ORDER BY item_code
            """);
        command.Parameters.AddWithValue("$department", (object?)departmentCode ?? DBNull.Value);
        command.Parameters.AddWithValue("$type", (object?)itemType ?? DBNull.Value);
        var items = new List<ServiceItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(JsonSerializer.Deserialize<ServiceItem>(reader.GetString(0), DocumentJson.Options)!);
        }
        return items;
    }

    public async Task<CatalogVersion?> GetVersionAsync(CancellationToken cancellationToken)
    {
        using var reads = database.Read();
        var command = reads.Command("SELECT document FROM catalog_version WHERE id = 1");
        return await command.ExecuteScalarAsync(cancellationToken) is string json
            ? JsonSerializer.Deserialize<CatalogVersion>(json, DocumentJson.Options)
            : null;
    }

    public async Task SaveVersionAsync(CatalogVersion version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO catalog_version (id, document) VALUES (1, $document)
            ON CONFLICT (id) DO UPDATE SET document = excluded.document
            """;
        command.Parameters.AddWithValue("$document", JsonSerializer.Serialize(version, DocumentJson.Options));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
