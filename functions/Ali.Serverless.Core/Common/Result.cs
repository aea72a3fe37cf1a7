namespace Ali.Serverless.Common;

/// <summary>Either a value or the problem that prevented it. Expected refusals are values, not exceptions.</summary>
public readonly struct Result<T>
{
    private Result(T? value, Problem? problem)
    {
        Value = value;
        Problem = problem;
    }

    public T? Value { get; }
    public Problem? Problem { get; }
    public bool IsSuccess => Problem is null;

    public static Result<T> Ok(T value) => new(value, null);
    public static Result<T> Fail(Problem problem) => new(default, problem);

    public static implicit operator Result<T>(T value) => new(value, null);
    public static implicit operator Result<T>(Problem problem) => new(default, problem);
}
