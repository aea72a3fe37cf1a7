namespace Ali.Serverless.LocalHost.Triggers;

/// <summary>
/// A copy of every message the local queue runner takes, one line each (queue, tab, text), appended to
/// the file named by <c>LocalHost:QueueTap</c>. Off unless set. It exists so a test can read what crossed
/// the queues after the triggers consumed it (for example to prove no personal data did); the Functions
/// host in Azure has no such thing.
/// </summary>
public sealed class QueueTap(string? path)
{
    private readonly Lock _gate = new();

    public void Record(string queue, string text)
    {
        if (string.IsNullOrEmpty(path))
        {
            return;
        }
        lock (_gate)
        {
            File.AppendAllText(path, $"{queue}\t{text.ReplaceLineEndings(" ")}\n");
        }
    }
}
