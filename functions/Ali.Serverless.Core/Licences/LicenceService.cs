using System.Security.Cryptography;
using System.Text;
using Ali.Serverless.Applications;
using Ali.Serverless.Audit;
using Ali.Serverless.Catalog;
using Ali.Serverless.Common;
using Ali.Serverless.Identity;
using Ali.Serverless.WorkingDays;

namespace Ali.Serverless.Licences;

/// <summary>
/// Electronic licences (电子证照): issued once per approved case, signed by the platform, read by their
/// holder and issuing department, verified by anyone, revoked by the issuing department, and reused as
/// materials of later applications instead of an upload (减材料).
/// </summary>
public sealed class LicenceService(ILicenceStore store, ILicenceKeyRing keys, IAuditLog audit, TimeProvider clock)
{
    public const int MaxReasonLength = 500;
    private const int NumberAttempts = 10;
    private const int WriteAttempts = 5;

    public const string IssueAction = "licence.issue";
    public const string RevokeAction = "licence.revoke";

    /// <summary>
    /// Issues the licence of an approved case (an outbox effect). Its id comes from the application, so a
    /// second run finds it stored and stores nothing; its audit record has a fixed id for the same reason.
    /// </summary>
    public async Task<Licence> IssueAsync(Application application, LicenceOrder order, DateTimeOffset decidedAt, CancellationToken cancellationToken)
    {
        var id = LicenceNumbers.IdFor(application.Id);
        var existing = await store.GetAsync(id, cancellationToken);
        var licence = existing?.Value;
        if (licence is null)
        {
            var signer = (await keys.GetKeysAsync(cancellationToken))[0];
            var issuedOn = ChinaTime.DateOf(decidedAt);
            for (var attempt = 0; attempt < NumberAttempts && licence is null; attempt++)
            {
                var content = new LicenceContent
                {
                    Id = id,
                    TypeCode = order.TypeCode,
                    TypeName = order.TypeName,
                    Number = LicenceNumbers.NumberFor(order.TypeCode, application.DivisionCode, issuedOn.Year, id, attempt),
                    Holder = new LicenceHolder(
                        application.Applicant.Kind == ApplicantKind.NaturalPerson ? ApplicantKinds.NaturalPerson : ApplicantKinds.LegalPerson,
                        application.Applicant.Name,
                        ApplicationView.Mask(application.Applicant.DocumentNumber)),
                    IssuerDepartmentCode = application.DepartmentCode,
                    IssuerDepartmentName = order.DepartmentName,
                    DivisionCode = application.DivisionCode,
                    IssuedOn = issuedOn,
                    ValidFrom = issuedOn,
                    ValidUntil = order.ValidityYears is { } years ? issuedOn.AddYears(years).AddDays(-1) : null,
                    CaseNumber = application.CaseNumber!,
                    ItemCode = application.ItemCode,
                    Data = application.Fields,
                    KeyId = signer.KeyId,
                };
                var candidate = new Licence
                {
                    Content = content,
                    Signature = LicenceSignatures.Sign(signer.Key, content.CanonicalBytes()),
                    HolderAccountId = application.OpenedByRole == Roles.Applicant ? application.OpenedBy : null,
                    ApplicationId = application.Id,
                    OwnerId = application.OwnerId,
                    IssuedAt = decidedAt,
                };
                var created = await store.CreateAsync(candidate, cancellationToken);
                licence = created.Outcome switch
                {
                    LicenceCreateOutcome.Created => candidate,
                    LicenceCreateOutcome.AlreadyIssued => created.Existing!.Value,
                    _ => null,
                };
            }
            if (licence is null)
            {
                throw new InvalidOperationException($"No free licence number for licence {id} after {NumberAttempts} candidates.");
            }
        }
        await audit.AppendAsync(new AuditEntry
        {
            Id = AuditId(id, "issue"),
            Chain = licence.Content.CaseNumber,
            Time = decidedAt,
            Actor = AuditActions.SystemActor,
            Role = AuditActions.SystemActor,
            Department = licence.Content.IssuerDepartmentCode,
            Action = IssueAction,
            Object = $"licence:{id}",
            Outcome = AuditActions.Success,
        }, cancellationToken);
        return licence;
    }

    /// <summary>The public keys that verify licences, newest first.</summary>
    public async Task<IReadOnlyList<PublicJwk>> PublicKeysAsync(CancellationToken cancellationToken) =>
        (await keys.GetKeysAsync(cancellationToken)).Select(LicenceSignatures.ToJwk).ToList();

    /// <summary>One licence, for its holder or a member of its issuing department; anyone else finds nothing (404).</summary>
    public async Task<Result<(Licence Licence, LicenceStatus Status)>> GetAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        var stored = Ids.IsIssued(id) ? await store.GetAsync(id, cancellationToken) : null;
        if (stored is null || !MayRead(caller, stored.Value))
        {
            return Problem.NotFound($"Licence '{id}'");
        }
        return (stored.Value, await StatusAsync(stored.Value, cancellationToken));
    }

    public async Task<IReadOnlyList<(Licence Licence, LicenceStatus Status)>> ListMineAsync(Caller caller, CancellationToken cancellationToken)
    {
        var licences = await store.ListByHolderAsync(caller.Subject, cancellationToken);
        var ring = await keys.GetKeysAsync(cancellationToken);
        return licences.Select(l => (l, StatusOf(l, ring, null))).ToList();
    }

    /// <summary>
    /// Checks a licence as its QR code names it: the id and the digest of the signed content. Tampered when
    /// the stored licence no longer matches its signature or the digest is not this licence's; then revoked;
    /// then expired; else valid.
    /// </summary>
    public async Task<Result<LicenceVerification>> VerifyAsync(string? id, string? digest, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (errors.Require("id", id) && !Ids.IsIssued(id))
        {
            errors.Add("id", "A licence id is 32 lower-case hexadecimal characters, as the QR code gives it.");
        }
        if (errors.Require("d", digest) && (digest!.Length != 22 || LicenceSignatures.FromBase64Url(digest) is null))
        {
            errors.Add("d", "d is the licence's 22-character verification digest, as the QR code gives it.");
        }
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var stored = await store.GetAsync(id!, cancellationToken);
        if (stored is null)
        {
            return Problem.NotFound($"Licence '{id}'");
        }
        var licence = stored.Value;
        var status = StatusOf(licence, await keys.GetKeysAsync(cancellationToken), digest);
        return new LicenceVerification(
            status.ToWire(),
            licence.Id,
            status == LicenceStatus.Tampered ? null : VerifiedLicence.From(licence.Content),
            status == LicenceStatus.Revoked ? licence.Revocation!.RevokedAt : null,
            clock.GetUtcNow());
    }

    /// <summary>
    /// Revokes a licence of the caller's department with a reason. The audit record has a fixed id and is
    /// written again when the revocation is repeated, so a crash between the two writes is healed by a retry.
    /// </summary>
    public async Task<Result<(Licence Licence, LicenceStatus Status)>> RevokeAsync(Caller caller, string id, RevokeLicenceRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var reason = TextRules.Required(errors, "reason", request.Reason, TextKind.MultiLine, MaxReasonLength);
        for (var attempt = 0; attempt < WriteAttempts; attempt++)
        {
            var stored = Ids.IsIssued(id) ? await store.GetAsync(id, cancellationToken) : null;
            if (stored is null || stored.Value.Content.IssuerDepartmentCode != caller.Department)
            {
                return Problem.NotFound($"Licence '{id}'");
            }
            if (errors.Any)
            {
                return errors.ToProblem();
            }
            if (stored.Value.Revocation is { } done)
            {
                await AuditRevocationAsync(stored.Value, done, caller, cancellationToken);
                return Problem.Conflict("licence-revoked", "Licence already revoked.",
                    $"Licence '{id}' ({stored.Value.Content.Number}) was revoked at {done.RevokedAt:O}.",
                    new Dictionary<string, object?> { ["revokedAt"] = done.RevokedAt });
            }
            var revocation = new LicenceRevocation(reason!, caller.Subject, caller.Department!, clock.GetUtcNow());
            var saved = await store.ReplaceAsync(stored.Value with { Revocation = revocation }, stored.ETag, cancellationToken);
            if (saved is not null)
            {
                await AuditRevocationAsync(saved.Value, revocation, caller, cancellationToken);
                return (saved.Value, LicenceStatus.Revoked);
            }
        }
        return Problem.ConcurrentChange($"Licence '{id}'");
    }

    /// <summary>
    /// A licence the caller may give as material <paramref name="requirement"/> (减材料): their own, of the
    /// type the material names, authentic, not revoked and not expired. Each refusal is a 422 naming the licence.
    /// </summary>
    public async Task<Result<Licence>> UsableAsMaterialAsync(Caller caller, string licenceId, MaterialRequirement requirement, CancellationToken cancellationToken)
    {
        if (requirement.LicenceType is null)
        {
            return Refused("licence-not-accepted", "This material cannot be given as a licence.",
                $"Material '{requirement.Code}' names no licence type; upload the file instead.");
        }
        var stored = Ids.IsIssued(licenceId) ? await store.GetAsync(licenceId, cancellationToken) : null;
        // Someone else's licence is answered exactly as one that does not exist: no one learns what others hold.
        if (stored is null || stored.Value.HolderAccountId is null || stored.Value.HolderAccountId != caller.Subject || !caller.IsApplicant)
        {
            return Refused("licence-not-found", "No such licence of yours.", $"Licence '{licenceId}' is not one of your licences.");
        }
        var licence = stored.Value;
        if (licence.Content.TypeCode != requirement.LicenceType)
        {
            return Refused("licence-wrong-type", "Wrong type of licence.",
                $"Licence '{licenceId}' is a {licence.Content.TypeName} ({licence.Content.TypeCode}); material '{requirement.Code}' takes a licence of type {requirement.LicenceType}.");
        }
        return await StatusAsync(licence, cancellationToken) switch
        {
            LicenceStatus.Valid => licence,
            LicenceStatus.Revoked => Refused("licence-revoked", "Licence revoked.",
                $"Licence '{licenceId}' ({licence.Content.Number}) was revoked at {licence.Revocation!.RevokedAt:O} and cannot be given as a material."),
            LicenceStatus.Expired => Refused("licence-expired", "Licence expired.",
                $"Licence '{licenceId}' ({licence.Content.Number}) was valid until {licence.Content.ValidUntil:yyyy-MM-dd} and cannot be given as a material."),
            _ => Refused("licence-tampered", "Licence fails verification.",
                $"Licence '{licenceId}' ({licence.Content.Number}) does not match its signature and cannot be given as a material."),
        };

        Problem Refused(string type, string title, string detail) => Problem.Unprocessable(type, title, detail,
            new Dictionary<string, string[]> { ["licenceId"] = [detail] }, new Dictionary<string, object?> { ["licenceId"] = licenceId });
    }

    /// <summary>The licence's state now, as <see cref="UsableAsMaterialAsync"/> and the views judge it.</summary>
    public async Task<LicenceStatus> StatusAsync(Licence licence, CancellationToken cancellationToken) =>
        StatusOf(licence, await keys.GetKeysAsync(cancellationToken), null);

    /// <summary>The current state of a licence id (for a submission that reuses it); null when it is gone.</summary>
    public async Task<LicenceStatus?> StatusAsync(string licenceId, CancellationToken cancellationToken) =>
        await store.GetAsync(licenceId, cancellationToken) is { } stored ? await StatusAsync(stored.Value, cancellationToken) : null;

    private LicenceStatus StatusOf(Licence licence, IReadOnlyList<LicenceKey> ring, string? digest)
    {
        if (!LicenceSignatures.IsAuthentic(licence, ring)
            || (digest is not null && !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(digest), Encoding.ASCII.GetBytes(licence.Content.Digest()))))
        {
            return LicenceStatus.Tampered;
        }
        if (licence.Revocation is not null)
        {
            return LicenceStatus.Revoked;
        }
        return licence.Content.ValidUntil is { } until && ChinaTime.DateOf(clock.GetUtcNow()) > until ? LicenceStatus.Expired : LicenceStatus.Valid;
    }

    private static bool MayRead(Caller caller, Licence licence) =>
        (caller.IsApplicant && licence.HolderAccountId == caller.Subject)
        || (caller.IsDepartmentStaff && licence.Content.IssuerDepartmentCode == caller.Department);

    private Task AuditRevocationAsync(Licence licence, LicenceRevocation revocation, Caller caller, CancellationToken cancellationToken) =>
        audit.AppendAsync(new AuditEntry
        {
            Id = AuditId(licence.Id, "revoke"),
            Chain = licence.Content.CaseNumber,
            Time = revocation.RevokedAt,
            Actor = revocation.By,
            Role = caller.Role,
            Department = revocation.DepartmentCode,
            Action = RevokeAction,
            Object = $"licence:{licence.Id}",
            Outcome = AuditActions.Success,
            ClientAddress = caller.ClientAddress,
            TraceId = caller.TraceId,
        }, cancellationToken);

    private static string AuditId(string licenceId, string what) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{licenceId}\n{what}")).AsSpan(0, 16));
}
