using System.Collections.Concurrent;
using System.Globalization;
using Ali.Serverless.Licences;

namespace Ali.Serverless.Functions.Licences;

/// <summary>
/// Licence keys for local runs: PKCS#8 PEM files <c>licence-key-{yyyyMMddHHmmss}.pem</c> in a git-ignored
/// folder (default <c>.local/licence-keys</c>). The first use makes one. Rotation is a new file: the
/// newest name signs, every file verifies. The folder is listed at each use (cheap), the keys parsed once.
/// </summary>
public sealed class FileLicenceKeyRing(string directory, TimeProvider clock) : ILicenceKeyRing
{
    private const string Prefix = "licence-key-";
    private readonly ConcurrentDictionary<string, LicenceKey> _parsed = new(StringComparer.Ordinal);

    public string Directory { get; } = Path.GetFullPath(directory);

    public Task<IReadOnlyList<LicenceKey>> GetKeysAsync(CancellationToken cancellationToken)
    {
        var files = Files();
        if (files.Count == 0)
        {
            AddKey(clock.GetUtcNow());
            files = Files();
        }
        IReadOnlyList<LicenceKey> keys = files
            .Select(file => _parsed.GetOrAdd(file, f => LicenceSignatures.FromPem(File.ReadAllText(f), CreatedAt(f))))
            .OrderByDescending(k => k.CreatedAt)
            .ToList();
        return Task.FromResult(keys);
    }

    /// <summary>Writes a new key, which signs from now on. Refuses to overwrite a file.</summary>
    public string AddKey(DateTimeOffset createdAt)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, $"{Prefix}{createdAt.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}.pem");
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            using var writer = new StreamWriter(stream);
            writer.Write(LicenceSignatures.NewPrivateKeyPem());
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process made the first key at the same second: use theirs.
        }
        return path;
    }

    private List<string> Files() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.EnumerateFiles(Directory, $"{Prefix}*.pem").Order(StringComparer.Ordinal).ToList()
            : [];

    private static DateTimeOffset CreatedAt(string file)
    {
        var stamp = Path.GetFileNameWithoutExtension(file)[Prefix.Length..];
        return DateTime.TryParseExact(stamp, "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? new DateTimeOffset(at, TimeSpan.Zero)
            : new DateTimeOffset(File.GetCreationTimeUtc(file), TimeSpan.Zero);
    }
}
