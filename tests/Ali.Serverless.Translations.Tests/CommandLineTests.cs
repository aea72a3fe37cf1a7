using Ali.Serverless.Translations.Tests.Support;

namespace Ali.Serverless.Translations.Tests;

/// <summary>A wrong command line exits 2 with the usage; a missing repository is named.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Theory]
    [InlineData("")]
    [InlineData("translate")]
    [InlineData("export")]
    [InlineData("export --out")]
    [InlineData("import")]
    [InlineData("report --verbose")]
    [InlineData("report --repo")]
    public void WrongCommandLine_ExitsTwoWithTheUsage(string commandLine)
    {
        var run = _repo.Run(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Usage", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_OfAFileThatDoesNotExist_ExitsTwo()
    {
        var run = _repo.Run("import", _repo.Xliff("missing.xlf"), "--repo", _repo.Root);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("missing.xlf", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutRepo_TheRepositoryIsFoundAboveTheCurrentFolder()
    {
        var run = ToolRun.Of(["report"], Path.Combine(_repo.Root, "..", ".."));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Ali.Serverless.sln", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_OfAFolderWithoutTheDataFiles_NamesWhatIsMissing()
    {
        File.Delete(Path.Combine(_repo.Root, TestRepository.Templates));

        var run = _repo.Run("report", "--repo", _repo.Root);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(TextSources.TemplatesFile, run.Error, StringComparison.Ordinal);
    }
}
