using Microsoft.Data.Sqlite;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>A SQLite file of one test in the temp folder, removed with its write-ahead log and shared-memory files.</summary>
internal static class SqliteTestFile
{
    public static string NewPath(string prefix) => Path.Combine(Path.GetTempPath(), $"ali-{prefix}-{Guid.NewGuid():N}.db");

    /// <summary>Closes the pooled connections first, so nothing holds the files or writes them again.</summary>
    public static void Remove(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
