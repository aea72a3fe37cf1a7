using Microsoft.Data.Sqlite;

namespace Ali.Serverless.Adapters.Sqlite;

/// <summary>
/// The local embedded database: one file, WAL journal so readers do not block the writer, and the
/// schema created on first use.
/// </summary>
public sealed class SqliteDatabase
{
    private readonly string _connectionString;

    public SqliteDatabase(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        using var connection = Open();
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS catalog_items (
                item_code TEXT PRIMARY KEY,
                department_code TEXT NOT NULL,
                item_type TEXT NOT NULL,
                document TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS applications (
                owner_id TEXT NOT NULL,
                id TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                awaiting_dispatch_since INTEGER NULL,
                etag TEXT NOT NULL,
                document TEXT NOT NULL,
                PRIMARY KEY (owner_id, id));
            CREATE INDEX IF NOT EXISTS applications_by_owner ON applications (owner_id, created_at DESC, id DESC);
            CREATE INDEX IF NOT EXISTS applications_awaiting_dispatch ON applications (awaiting_dispatch_since)
                WHERE awaiting_dispatch_since IS NOT NULL;
            """);
    }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
