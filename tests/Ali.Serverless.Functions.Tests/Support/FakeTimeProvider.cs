namespace Ali.Serverless.Functions.Tests.Support;

/// <summary>A clock stopped at a chosen instant; a test moves it by hand.</summary>
internal sealed class FakeTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
