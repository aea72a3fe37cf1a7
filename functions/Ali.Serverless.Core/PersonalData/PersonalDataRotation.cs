using Ali.Serverless.Applications;

namespace Ali.Serverless.PersonalData;

/// <summary>What a rotation pass did.</summary>
public sealed record RotationReport(string CurrentKeyId, int Rewritten, int Skipped);

/// <summary>
/// Re-saves every application whose personal data is under an older KEK version (or not encrypted yet),
/// so that it is encrypted under a fresh data key wrapped by the current one. Each document is a
/// conditional replace: a document changed meanwhile was re-saved by that change, under the current
/// key, and is simply found again or not. Stopping at any point loses nothing; running it again carries on.
/// </summary>
public sealed class PersonalDataRotation(IApplicationStore applications, IPersonalDataProtector protector)
{
    public async Task<RotationReport> RewrapAsync(int batchSize, CancellationToken cancellationToken)
    {
        var current = await protector.CurrentKeyIdAsync(cancellationToken);
        var rewritten = 0;
        var skipped = new HashSet<(string, string)>();
        var done = new HashSet<(string, string)>();
        while (true)
        {
            var batch = await applications.ListUnderOtherKeyAsync(current, batchSize + skipped.Count, cancellationToken);
            var todo = batch.Where(a => !skipped.Contains((a.OwnerId, a.Id))).ToList();
            if (todo.Count == 0)
            {
                return new RotationReport(current, rewritten, skipped.Count);
            }
            foreach (var found in todo)
            {
                if (!done.Add((found.OwnerId, found.Id)))
                {
                    throw new InvalidOperationException($"Application '{found.Id}' is still under an old key after it was rewritten: the store does not encrypt on write.");
                }
                if (await RewriteAsync(found.OwnerId, found.Id, cancellationToken))
                {
                    rewritten++;
                }
                else
                {
                    // Changed twice under our hands: leave it for the next run rather than spin on it.
                    skipped.Add((found.OwnerId, found.Id));
                }
            }
        }
    }

    private async Task<bool> RewriteAsync(string ownerId, string id, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var stored = await applications.GetAsync(ownerId, id, cancellationToken);
            if (stored is null)
            {
                return true;
            }
            // The store encrypts on every write with the current key: saving the same content is the rotation.
            if (await applications.ReplaceAsync(stored.Value, stored.ETag, cancellationToken) is not null)
            {
                return true;
            }
        }
        return false;
    }
}
