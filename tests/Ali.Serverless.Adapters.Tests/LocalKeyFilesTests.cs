using Ali.Serverless.Adapters.Sqlite;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>The local key files remember a KEK version once read (as the Key Vault source does), and only KEK versions.</summary>
public sealed class LocalKeyFilesTests
{
    [Fact]
    public async Task AVersionReadOnce_IsRemembered_AndTheIndexKeyIsNeverAVersion()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"ali-keys-{Guid.NewGuid():N}");
        var files = new LocalKeyFiles(directory);
        var current = await files.GetCurrentAsync(default);
        await files.GetIndexKeyAsync(default);

        var read = await files.GetAsync(current.Id, default);
        // Looking for the file again on every read is what the remembered version saves.
        File.Move(Path.Combine(directory, "kek-0001.key"), Path.Combine(directory, "moved.key"));
        var again = await files.GetAsync(current.Id, default);

        Assert.Equal(current.Bytes, read!.Bytes);
        Assert.Equal(current.Bytes, again!.Bytes);
        Assert.Null(await files.GetAsync("index", default));
        Assert.Null(await files.GetAsync("local-0002", default));
        Assert.Null(await new LocalKeyFiles(directory).GetAsync(current.Id, default));
    }
}
