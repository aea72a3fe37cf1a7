using System.Text.RegularExpressions;
using Ali.Serverless.Audit;
using Ali.Serverless.Catalog;
using Ali.Serverless.Common;
using Ali.Serverless.Identity;
using Ali.Serverless.PersonalData;

namespace Ali.Serverless.Applications;

/// <summary>Opening a draft (网上申请, or 窗口收件 by a clerk): who may apply, through which channel, for whom.</summary>
public sealed partial class ApplicationIntake
{
    /// <summary>
    /// Opens a draft. With an idempotency key the id is derived from (owner, key), so a retry finds the
    /// first application instead of creating a second one, without any extra record to keep in step.
    /// </summary>
    public async Task<Result<OpenedApplication>> OpenAsync(
        Caller caller, OpenApplicationRequest request, string? idempotencyKey, string requestFingerprint, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (caller.IsWindowClerk && string.IsNullOrWhiteSpace(caller.Department))
        {
            return Result<OpenedApplication>.Fail(Problem.Forbidden("A window clerk's token must name the clerk's hall or department."));
        }
        if (idempotencyKey is not null && (idempotencyKey.Length is 0 or > 100 || idempotencyKey.Any(char.IsControl)))
        {
            errors.Add("Idempotency-Key", "The Idempotency-Key header has 1 to 100 printable characters.");
        }

        ServiceItem? item = null;
        if (errors.Require("itemCode", request.ItemCode))
        {
            item = await catalog.GetAsync(request.ItemCode!, cancellationToken);
            if (item is null)
            {
                errors.Add("itemCode", $"There is no service item '{request.ItemCode}'.");
            }
        }

        var channel = ParseChannel(caller, request.Channel, item, errors);
        var applicant = ParseApplicant(request.Applicant, item, ChinaToday(), errors);
        var fields = ParseFields(request.Fields, errors);
        if (errors.Any || item is null || channel is null || applicant is null)
        {
            return Result<OpenedApplication>.Fail(errors.ToProblem());
        }

        var now = clock.GetUtcNow();
        var applicantKey = await applicantKeys.ForAsync(applicant.Kind, applicant.DocumentNumber, cancellationToken);
        var fingerprint = idempotencyKey is null ? null : await applicantKeys.ForRequestAsync(requestFingerprint, cancellationToken);
        var application = new Application
        {
            Id = idempotencyKey is null ? NewId() : IdFromKey(caller.OwnerId, idempotencyKey),
            OwnerId = caller.OwnerId,
            ItemCode = item.ItemCode,
            DepartmentCode = item.DepartmentCode,
            DivisionCode = item.DivisionCode,
            Channel = channel.Value,
            Applicant = applicant,
            ApplicantKey = applicantKey,
            OpenedBy = caller.Subject,
            OpenedByRole = caller.Role,
            Fields = fields,
            Status = ApplicationStatus.Draft,
            Language = caller.Language,
            CreatedAt = now,
            UpdatedAt = now,
            IdempotencyKey = idempotencyKey,
            RequestFingerprint = fingerprint,
        };

        var created = await applications.CreateAsync(
            WithAudit(application, caller, AuditActions.ApplicationOpen, $"application:{application.Id}", now), cancellationToken);
        if (created is not null)
        {
            return new OpenedApplication((await DispatchAuditAsync(created, cancellationToken)).Value, Replayed: false);
        }

        // The id exists: this is a retry with the same key, or the key was reused for something else.
        var existing = await applications.GetAsync(caller.OwnerId, application.Id, cancellationToken);
        if (existing is null || existing.Value.RequestFingerprint != fingerprint)
        {
            return Result<OpenedApplication>.Fail(Problem.Unprocessable(
                "idempotency-key-reused",
                "Idempotency-Key already used for a different request.",
                "This Idempotency-Key was used before with a different body. Use a new key for a new application."));
        }
        return new OpenedApplication(existing.Value, Replayed: true);
    }

    private static Channel? ParseChannel(Caller caller, string? value, ServiceItem? item, FieldErrors errors)
    {
        if (!errors.Require("channel", value))
        {
            return null;
        }
        if (!ChannelNames.TryParse(value, out var channel))
        {
            errors.Add("channel", "channel is one of: web, mobile, window.");
            return null;
        }
        if (channel == Channel.Window && !caller.IsWindowClerk)
        {
            errors.Add("channel", "Only a window clerk opens applications through the window channel.");
            return null;
        }
        if (channel != Channel.Window && caller.IsWindowClerk)
        {
            errors.Add("channel", "A window clerk opens applications through the window channel.");
            return null;
        }
        if (item is not null && !item.Channels.Contains(channel))
        {
            errors.Add("channel", $"Item '{item.ItemCode}' is applied for through: {string.Join(", ", item.Channels.Select(ChannelNames.ToWire))}.");
            return null;
        }
        return channel;
    }

    private static ApplicantIdentity? ParseApplicant(ApplicantRequest? request, ServiceItem? item, DateOnly today, FieldErrors errors)
    {
        if (request is null)
        {
            errors.Add("applicant", "This field is required.");
            return null;
        }
        ApplicantKind? kind = request.Kind switch
        {
            ApplicantKinds.NaturalPerson => ApplicantKind.NaturalPerson,
            ApplicantKinds.LegalPerson => ApplicantKind.LegalPerson,
            _ => null,
        };
        if (kind is null)
        {
            errors.Add("applicant.kind", "applicant.kind is 'natural-person' or 'legal-person'.");
        }
        else if (item is not null && !ItemAccepts(item, kind.Value))
        {
            errors.Add("applicant.kind", $"Item '{item.ItemCode}' does not accept applications from a {request.Kind}.");
        }

        string? document = null;
        if (errors.Require("applicant.documentNumber", request.DocumentNumber) && kind is not null)
        {
            var error = kind == ApplicantKind.NaturalPerson
                ? ResidentIdNumber.Validate(request.DocumentNumber!.Trim(), today)
                : UnifiedSocialCreditCode.Validate(request.DocumentNumber!.Trim());
            if (error is null)
            {
                document = kind == ApplicantKind.NaturalPerson
                    ? ResidentIdNumber.Normalize(request.DocumentNumber!)
                    : UnifiedSocialCreditCode.Normalize(request.DocumentNumber!);
            }
            else
            {
                errors.Add("applicant.documentNumber", error);
            }
        }
        var name = TextRules.Required(errors, "applicant.name", request.Name, TextKind.Name, MaxNameLength);
        // \z, not $: a $ also matches before a final "\n", which would let "13900000000\n" through.
        if (request.Phone is not null && !PhonePattern().IsMatch(request.Phone))
        {
            errors.Add("applicant.phone", "A phone number has 5 to 20 digits, optionally with +, -, spaces or parentheses.");
        }
        return kind is null || document is null || name is null
            ? null
            : new ApplicantIdentity(kind.Value, document, name, request.Phone);
    }

    /// <summary>GB/T 39046 服务对象: 1 is a natural person; every other code is a body with a credit code.</summary>
    private static bool ItemAccepts(ServiceItem item, ApplicantKind kind) =>
        kind == ApplicantKind.NaturalPerson ? item.ApplicantKinds.Contains("1") : item.ApplicantKinds.Any(k => k != "1");

    private Dictionary<string, string> ParseFields(Dictionary<string, string>? fields, FieldErrors errors)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (fields is null)
        {
            return result;
        }
        if (fields.Count > options.MaxFields)
        {
            errors.Add("fields", $"An application has at most {options.MaxFields} form fields.");
            return result;
        }
        foreach (var (rawName, value) in fields)
        {
            // Names are labels staff see next to the values: one line, by the same rule as any name.
            if (string.IsNullOrWhiteSpace(rawName)
                || TextRules.Validate(rawName, TextKind.Name, MaxFieldNameLength, out var name) is not null
                || name.Length == 0)
            {
                errors.Add("fields", $"A form field name has 1 to {MaxFieldNameLength} characters on one line, with no control or invisible characters.");
            }
            else if (result.ContainsKey(name))
            {
                errors.Add("fields", $"The form field name '{name}' is given twice.");
            }
            else if (value is null)
            {
                errors.Add($"fields.{name}", "A form field value is text.");
            }
            else if (TextRules.Validate(value, TextKind.MultiLine, options.MaxFieldValueLength, out var normalized) is { } error)
            {
                errors.Add($"fields.{name}", $"fields.{name} {error}");
            }
            else
            {
                // A blank value stays: the applicant left that field empty.
                result[name] = normalized;
            }
        }
        return result;
    }

    private const int MaxNameLength = 100;
    private const int MaxFieldNameLength = 64;

    [GeneratedRegex(@"^[0-9+\-() ]{5,20}\z")]
    private static partial Regex PhonePattern();
}

/// <summary>The application that was opened, and whether this answer replays an earlier identical request.</summary>
public sealed record OpenedApplication(Application Application, bool Replayed);
