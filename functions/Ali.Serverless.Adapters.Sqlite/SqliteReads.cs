using Microsoft.Data.Sqlite;

namespace Ali.Serverless.Adapters.Sqlite;

/// <summary>
/// A connection lent for reading (<see cref="SqliteDatabase.Read"/>) together with the statements it has already
/// prepared. Microsoft.Data.Sqlite keeps a statement prepared only as long as its command object, so a new command
/// per call prepared the same text again on every read: most of a point read (decision 30). A command asked for here
/// again by its text comes back prepared, its parameters cleared. One caller at a time; dispose it to give it back,
/// after every reader of its commands is disposed; do not dispose the commands.
/// </summary>
public sealed class SqliteReads : IDisposable
{
    /// <summary>
    /// The statements kept per connection. The stores read with a fixed set of texts; a few are put together from a
    /// request's filters, so the set is bounded here rather than trusted to stay small.
    /// </summary>
    internal const int MaxStatements = 64;

    private readonly SqliteDatabase _database;
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);

    internal SqliteReads(SqliteDatabase database, SqliteConnection connection)
    {
        _database = database;
        _connection = connection;
    }

    /// <summary>How many statements this connection holds prepared (for tests).</summary>
    internal int StatementCount => _statements.Count;

    /// <summary>The command for <paramref name="sql"/> on this connection, with no parameters; prepared if it ran here before.</summary>
    public SqliteCommand Command(string sql)
    {
        if (!_statements.TryGetValue(sql, out var command))
        {
            if (_statements.Count >= MaxStatements)
            {
                DisposeStatements();
            }
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _statements.Add(sql, command);
        }
        command.Parameters.Clear();
        return command;
    }

    /// <summary>Gives the connection back to the database for the next read.</summary>
    public void Dispose() => _database.Return(this);

    /// <summary>Closes the connection and finalizes its statements (the database is done with it).</summary>
    internal void Close()
    {
        DisposeStatements();
        _connection.Dispose();
    }

    private void DisposeStatements()
    {
        foreach (var command in _statements.Values)
        {
            command.Dispose();
        }
        _statements.Clear();
    }
}
