using Ali.Serverless.Common;

namespace Ali.Serverless.Catalog;

/// <summary>Reading the catalog as the portal, the apps and the windows see it.</summary>
public sealed class CatalogQueries(ICatalogStore store)
{
    public async Task<Result<IReadOnlyList<ServiceItem>>> SearchAsync(
        string? departmentCode, string? itemType, string? keyword, string? language, CancellationToken cancellationToken)
    {
        if (language is not null && !Language.IsSupported(language))
        {
            return Result<IReadOnlyList<ServiceItem>>.Fail(Problem.InvalidField("lang", "Supported languages are 'zh' and 'bo'."));
        }
        var items = await store.ListAsync(Blank(departmentCode), Blank(itemType), cancellationToken);
        var word = Blank(keyword)?.Trim();
        return word is null
            ? Result(items)
            : Result(items.Where(i => i.Name.Contains(word) || i.ItemCode.Contains(word, StringComparison.OrdinalIgnoreCase)).ToList());
    }

    public async Task<Result<ServiceItem>> GetAsync(string itemCode, string? language, CancellationToken cancellationToken)
    {
        if (language is not null && !Language.IsSupported(language))
        {
            return Problem.InvalidField("lang", "Supported languages are 'zh' and 'bo'.");
        }
        var item = ItemCodes.IsWellFormed(itemCode) ? await store.GetAsync(itemCode, cancellationToken) : null;
        return item is null ? Problem.NotFound($"Service item '{itemCode}'") : item;
    }

    private static Result<IReadOnlyList<ServiceItem>> Result(IReadOnlyList<ServiceItem> items) =>
        Result<IReadOnlyList<ServiceItem>>.Ok(items);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

/// <summary>Shape of an implementation code (实施编码): at most 24 letters, digits or dashes.</summary>
public static class ItemCodes
{
    public static bool IsWellFormed(string? code) =>
        code is { Length: > 0 and <= 24 } && code.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
