namespace Ali.Serverless.Core.Tests.Support;

internal static class RepositoryRoot
{
    /// <summary>The folder holding Ali.Serverless.sln, found by walking up from the test binaries.</summary>
    public static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Ali.Serverless.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No Ali.Serverless.sln above {AppContext.BaseDirectory}.");
    }
}
