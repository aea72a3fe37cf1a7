namespace Ali.Serverless.Common;

/// <summary>Collects every invalid field of a request so that one answer names all of them.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public FieldErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }
        list.Add(message);
        return this;
    }

    /// <summary>Adds an error when <paramref name="value"/> is null or blank; returns whether it was present.</summary>
    public bool Require(string field, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            return true;
        }
        Add(field, "This field is required.");
        return false;
    }

    public Problem ToProblem(string detail = "One or more fields are invalid.") =>
        Problem.Invalid(detail, _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
}
