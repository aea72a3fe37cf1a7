using Ali.Serverless.Adapters.Sqlite;
using Ali.Serverless.Applications;
using Ali.Serverless.Audit;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>
/// A store parses a stored text once (decision 30): the same text gives the same parsed document, any other text is
/// parsed afresh, what is kept is bounded, and a change written by another process is what the next read returns.
/// </summary>
public sealed class ParsedDocumentsTests : IDisposable
{
    private readonly string _path = SqliteTestFile.NewPath("parsed");

    public void Dispose() => SqliteTestFile.Remove(_path);

    private static string Record(string actor) =>
        $$"""{"id":"r1","chain":"c","sequence":0,"time":"2026-11-01T00:00:00+00:00","actor":"{{actor}}","role":"reviewer","action":"case.read","outcome":"success","previousHash":"0","hash":"h"}""";

    [Fact]
    public void The_same_text_gives_the_same_document_and_another_text_its_own()
    {
        var parsed = new ParsedDocuments<AuditRecord>();

        var first = parsed.Parse(Record("a"));
        var again = parsed.Parse(Record("a"));
        var other = parsed.Parse(Record("b"));

        Assert.Same(first, again);
        Assert.Equal("a", first.Actor);
        Assert.Equal("b", other.Actor);
        Assert.Equal(2, parsed.Count);
    }

    [Fact]
    public void What_is_kept_is_bounded_by_entries_and_by_characters()
    {
        var byEntries = new ParsedDocuments<AuditRecord>(maxEntries: 3);
        var byChars = new ParsedDocuments<AuditRecord>(maxChars: Record("a").Length * 2);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal($"{i}", byEntries.Parse(Record($"{i}")).Actor);
            Assert.InRange(byEntries.Count, 1, 3);
            Assert.Equal($"{i % 10}", byChars.Parse(Record($"{i % 10}")).Actor);
            Assert.InRange(byChars.Count, 1, 2);
        }
    }

    [Fact]
    public void Null_is_not_a_document()
    {
        Assert.Throws<System.Text.Json.JsonException>(() => new ParsedDocuments<AuditRecord>().Parse("null"));
    }

    [Fact]
    public async Task An_application_changed_by_another_process_is_read_as_changed()
    {
        // Two stores on two database objects over one file stand for two processes: each remembers what it parsed.
        var reader = new SqliteApplicationStore(new SqliteDatabase(_path), TestKeys.Protector);
        var writer = new SqliteApplicationStore(new SqliteDatabase(_path), TestKeys.Protector);
        var created = await writer.CreateAsync(TestData.Application("owner-1", DateTimeOffset.UtcNow), default);
        var before = await reader.GetAsync("owner-1", created!.Value.Id, default);
        var again = await reader.GetAsync("owner-1", created.Value.Id, default);

        var replaced = await writer.ReplaceAsync(before!.Value with { Status = ApplicationStatus.Withdrawn, Fields = new Dictionary<string, string> { ["reason"] = "变更" } }, before.ETag, default);
        var after = await reader.GetAsync("owner-1", created.Value.Id, default);

        Assert.Equal(before.ETag, again!.ETag);
        Assert.Equal(ApplicationStatus.Draft, again.Value.Status);
        Assert.Equal(replaced!.ETag, after!.ETag);
        Assert.Equal(ApplicationStatus.Withdrawn, after.Value.Status);
        Assert.Equal("变更", after.Value.Fields["reason"]);
        Assert.Equal("11010519491231002X", after.Value.Applicant.DocumentNumber);
    }
}
