using Ali.Serverless.Common;

namespace Ali.Serverless.Catalog;

/// <summary>Reading the catalog as the portal, the apps and the windows see it.</summary>
public sealed class CatalogQueries(ICatalogStore store)
{
    /// <summary>Longer than any item name in the catalog; a search box needs no more.</summary>
    public const int MaxKeywordLength = 50;

    public async Task<Result<IReadOnlyList<ServiceItem>>> SearchAsync(
        string? departmentCode, string? itemType, string? keyword, string? language, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (language is not null && !Language.IsSupported(language))
        {
            errors.Add("lang", "Supported languages are 'zh' and 'bo'.");
        }
        if (Blank(departmentCode) is { } department && !DepartmentCodes.IsWellFormed(department))
        {
            errors.Add("department", DepartmentCodes.Rule);
        }
        if (Blank(itemType) is { } type && !ItemTypes.IsWellFormed(type))
        {
            errors.Add("itemType", ItemTypes.Rule);
        }
        string? word = null;
        if (Blank(keyword) is { } typed)
        {
            if (TextRules.Validate(typed, TextKind.Name, MaxKeywordLength, out var normalized) is { } error)
            {
                errors.Add("keyword", $"The keyword {error}");
            }
            word = normalized;
        }
        if (errors.Any)
        {
            return Result<IReadOnlyList<ServiceItem>>.Fail(errors.ToProblem());
        }
        var items = await store.ListAsync(Blank(departmentCode), Blank(itemType), cancellationToken);
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

/// <summary>Shape of a department code (e.g. 542500-FGW): letters, digits and hyphens, at most 50.</summary>
public static class DepartmentCodes
{
    public const string Rule = "department is a department code: letters, digits and hyphens.";

    public static bool IsWellFormed(string? code) =>
        code is { Length: > 0 and <= 50 } && code.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}

/// <summary>Shape of an item type (事项类型, GB/T 39046): a two-digit code such as 01 (行政许可).</summary>
public static class ItemTypes
{
    public const string Rule = "itemType is a two-digit item type code of GB/T 39046, such as 01.";

    public static bool IsWellFormed(string? code) => code is { Length: 2 } && code.All(char.IsAsciiDigit);
}

/// <summary>Shape of an implementation code (实施编码): at most 24 letters, digits or dashes.</summary>
public static class ItemCodes
{
    public static bool IsWellFormed(string? code) =>
        code is { Length: > 0 and <= 24 } && code.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
