namespace Ali.Serverless.Translations;

/// <summary>How many texts a source has and which of them are shown in Chinese at run time for lack of Tibetan.</summary>
public sealed record SourceCoverage(string Source, int Texts, int Missing, IReadOnlyList<string> MissingIds);

public static class CoverageReport
{
    public static IReadOnlyList<SourceCoverage> Of(TextInventory inventory, IReadOnlyList<TextSource> sources) =>
        [.. sources.Select(source =>
        {
            var texts = inventory.Texts.Where(t => t.Source == source).ToList();
            var missing = texts.Where(t => t.LacksTibetan).Select(t => t.Id).ToList();
            return new SourceCoverage(source.Name, texts.Count, missing.Count, missing);
        })];
}
