using System.Diagnostics;

namespace Ali.Serverless.Web.Tests;

/// <summary>
/// The portal's own MD5 and SHA-256 (web/src/shared), which it sends as contentMd5, Content-MD5 and sha256
/// (decision 21), checked by web/checks/hashes.mjs under Node: test vectors, and Node's digests of random data
/// fed in random pieces. No browser needed.
/// </summary>
public sealed class HashCheckTests
{
    [Fact]
    public async Task ThePortalsIncrementalHashes_MatchTheTestVectorsAndNodesDigests()
    {
        var start = new ProcessStartInfo("node", "checks/hashes.mjs")
        {
            WorkingDirectory = WebHost.WebRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await node.WaitForExitAsync(timeout.Token);

        Assert.True(node.ExitCode == 0, $"web/checks/hashes.mjs failed:\n{await output}\n{await errors}");
        Assert.Contains("hashes ok", await output, StringComparison.Ordinal);
    }
}
