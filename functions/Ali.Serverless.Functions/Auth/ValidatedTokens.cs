using System.Collections.Concurrent;
using Ali.Serverless.Identity;

namespace Ali.Serverless.Functions.Auth;

/// <summary>
/// The callers of bearer tokens already validated by this instance, until each token expires (decision 23). A portal
/// or workbench sends the same token with every request for up to hours; checking its signature, issuer, audience and
/// claims again each time was the largest part of a small authenticated read. Only a token that passed every check is
/// kept, under its exact text, and never past its own expiry (without the clock skew validation allows), so the
/// cache answers nothing validation would not. Nor longer than <see cref="MaxKept"/>: a signing key the identity
/// provider withdraws, or a change of the validation settings, reaches a token at its next validation, so a token kept
/// until an expiry hours away would outlive them. Bounded: when full, expired entries go, and if that is not enough,
/// all of them (they are validated again on their next use).
/// </summary>
public sealed class ValidatedTokens(TimeProvider clock, int capacity = ValidatedTokens.DefaultCapacity)
{
    public const int DefaultCapacity = 20_000;

    /// <summary>The longest a validated token is answered from here before it is validated again.</summary>
    public static readonly TimeSpan MaxKept = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed record Entry(Caller Caller, DateTimeOffset ExpiresAt);

    public int Count => _entries.Count;

    /// <summary>The caller of a token validated before and not yet expired; null otherwise (validate it).</summary>
    public Caller? Find(string token)
    {
        if (!_entries.TryGetValue(token, out var entry))
        {
            return null;
        }
        if (clock.GetUtcNow() < entry.ExpiresAt)
        {
            return entry.Caller;
        }
        _entries.TryRemove(new KeyValuePair<string, Entry>(token, entry));
        return null;
    }

    /// <summary>Keeps the caller of a token that passed validation, until <paramref name="expiresAt"/> (the token's exp), or <see cref="MaxKept"/> if sooner.</summary>
    public void Keep(string token, Caller caller, DateTimeOffset expiresAt)
    {
        var now = clock.GetUtcNow();
        if (expiresAt <= now)
        {
            return;
        }
        if (_entries.Count >= capacity)
        {
            foreach (var (key, entry) in _entries)
            {
                if (entry.ExpiresAt <= now)
                {
                    _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
                }
            }
            if (_entries.Count >= capacity)
            {
                _entries.Clear();
            }
        }
        _entries[token] = new Entry(caller, expiresAt < now + MaxKept ? expiresAt : now + MaxKept);
    }
}
