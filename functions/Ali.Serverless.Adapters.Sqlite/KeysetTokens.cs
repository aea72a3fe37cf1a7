using System.Text;
using Ali.Serverless.Applications;

namespace Ali.Serverless.Adapters.Sqlite;

/// <summary>
/// Continuation tokens for keyset paging: the sort key and id of the last row of a page, base64url.
/// Opaque to callers; a token this store did not issue is refused, never guessed at.
/// </summary>
internal static class KeysetTokens
{
    public static string Encode(long key, string id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{key}|{id}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static (long Key, string Id) Decode(string token)
    {
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(base64)).Split('|');
            if (parts.Length == 2 && long.TryParse(parts[0], out var key) && parts[1].Length > 0)
            {
                return (key, parts[1]);
            }
        }
        catch (FormatException e)
        {
            throw new InvalidContinuationTokenException("The continuation token is malformed.", e);
        }
        throw new InvalidContinuationTokenException("The continuation token is malformed.");
    }
}
