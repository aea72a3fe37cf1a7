using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Ali.Serverless.PersonalData;

namespace Ali.Serverless.Adapters.Sqlite;

/// <summary>
/// The keys of personal data for local runs and tests: files in a git-ignored folder (default
/// <c>.local/keys</c>), created on first use. <c>kek-0001.key</c>, <c>kek-0002.key</c>… are the KEK
/// versions (the highest is current, id <c>local-0002</c>); <c>index.key</c> is the HMAC key of the
/// identity-number index. Each holds 32 random bytes in base64, readable by the owner only.
/// Stands in for Key Vault; it protects nothing on a shared disk and is never used in Azure.
/// </summary>
public sealed class LocalKeyFiles(string directory) : IPersonalDataKeys, IKeyEncryptionKeyRotation
{
    private const string KekPrefix = "kek-";
    private const string IdPrefix = "local-";
    private readonly ConcurrentDictionary<string, byte[]> _read = new(StringComparer.Ordinal);

    public string Directory => Path.GetFullPath(directory);

    public Task<KeyEncryptionKey> GetCurrentAsync(CancellationToken cancellationToken)
    {
        var number = Versions().DefaultIfEmpty(0).Max();
        if (number == 0)
        {
            CreateIfAbsent(KekPath(1));
            number = Versions().Max();
        }
        var id = IdOf(number);
        return Task.FromResult(new KeyEncryptionKey(id, Read(id, KekPath(number))));
    }

    public Task<KeyEncryptionKey?> GetAsync(string id, CancellationToken cancellationToken)
    {
        // A version read once is remembered, as the Key Vault source does: every decryption asks for it, and looking
        // for its file each time cost a file-system call per read. Versions are added, never changed in place.
        if (id.StartsWith(IdPrefix, StringComparison.Ordinal) && _read.TryGetValue(id, out var remembered))
        {
            return Task.FromResult<KeyEncryptionKey?>(new KeyEncryptionKey(id, remembered));
        }
        if (!id.StartsWith(IdPrefix, StringComparison.Ordinal) || !int.TryParse(id.AsSpan(IdPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || !File.Exists(KekPath(number)))
        {
            return Task.FromResult<KeyEncryptionKey?>(null);
        }
        return Task.FromResult<KeyEncryptionKey?>(new KeyEncryptionKey(id, Read(id, KekPath(number))));
    }

    public Task<byte[]> GetIndexKeyAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(Directory, "index.key");
        CreateIfAbsent(path);
        return Task.FromResult(Read("index", path));
    }

    public Task<string> AddVersionAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var next = Versions().DefaultIfEmpty(0).Max() + 1;
            if (CreateIfAbsent(KekPath(next)))
            {
                return Task.FromResult(IdOf(next));
            }
        }
    }

    private IEnumerable<int> Versions() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.EnumerateFiles(Directory, $"{KekPrefix}*.key")
                .Select(f => Path.GetFileNameWithoutExtension(f)[KekPrefix.Length..])
                .Select(n => int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
                .Where(v => v > 0)
            : [];

    private string KekPath(int number) => Path.Combine(Directory, $"{KekPrefix}{number:D4}.key");

    private static string IdOf(int number) => $"{IdPrefix}{number:D4}";

    private byte[] Read(string id, string path) =>
        _read.GetOrAdd(id, _ => PersonalDataKeyRules.Parse(File.ReadAllText(path), $"The key file {path}"));

    /// <summary>
    /// Writes a new random key unless the file exists: written aside, then moved into place without
    /// overwriting, so a reader never sees half a key and the loser of a race uses the winner's key.
    /// </summary>
    private bool CreateIfAbsent(string path)
    {
        System.IO.Directory.CreateDirectory(Directory);
        if (File.Exists(path))
        {
            return false;
        }
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(PersonalDataKeyRules.KeyBytes)));
        }
        try
        {
            File.Move(temporary, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return false;
        }
    }
}
