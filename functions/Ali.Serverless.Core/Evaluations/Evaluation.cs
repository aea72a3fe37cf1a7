using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Ali.Serverless.Catalog;

namespace Ali.Serverless.Evaluations;

/// <summary>
/// The two rating forms of 好差评 (国办发〔2019〕51号): online (web portal, mobile app) and in the hall.
/// Each has its own indicators; satisfaction is on the GB/T 39046 scale, 1 very satisfied … 5 very dissatisfied.
/// </summary>
public static class EvaluationChannels
{
    public const string Online = "online";
    public const string Hall = "hall";

    public static string For(Channel channel) => channel == Channel.Window ? Hall : Online;

    /// <summary>The indicators each form rates, each 1–5 like the satisfaction.</summary>
    public static IReadOnlyList<string> Indicators(string channel) => channel == Hall
        ? ["efficiency", "competence", "attitude"]
        : ["efficiency", "guideAccuracy", "convenience", "operability"];

    public const int VerySatisfied = 1;
    public const int VeryDissatisfied = 5;

    /// <summary>4 (dissatisfied) and 5 (very dissatisfied) are bad reviews (差评): they open a rectification.</summary>
    public static bool IsBad(int satisfaction) => satisfaction >= 4;
}

public enum RectificationState
{
    /// <summary>The department is verifying and rectifying; its task is open.</summary>
    [JsonStringEnumMemberName("open")] Open,
    /// <summary>The department replied to the applicant (整改反馈); done.</summary>
    [JsonStringEnumMemberName("replied")] Replied,
    /// <summary>The review was voided on appeal; nothing to rectify.</summary>
    [JsonStringEnumMemberName("cancelled")] Cancelled,
}

/// <summary>整改: the department's work on a bad review, tracked by a <c>rectification</c> task.</summary>
public sealed record Rectification
{
    public required string TaskId { get; init; }
    public required RectificationState State { get; init; }
    public required DateTimeOffset DueAt { get; init; }

    /// <summary>What the department tells the applicant it verified and changed.</summary>
    public string? Reply { get; init; }

    public string? RepliedBy { get; init; }
    public DateTimeOffset? RepliedAt { get; init; }
}

public enum AppealState
{
    /// <summary>Waiting for a supervisor.</summary>
    [JsonStringEnumMemberName("pending")] Pending,
    /// <summary>The supervisor agreed the review was mistaken or malicious: it is voided.</summary>
    [JsonStringEnumMemberName("upheld")] Upheld,
    /// <summary>The supervisor found the review fair: it stands.</summary>
    [JsonStringEnumMemberName("rejected")] Rejected,
}

/// <summary>申诉复核: the department's appeal against a review, and the supervisor's decision.</summary>
public sealed record Appeal
{
    public required string Reason { get; init; }
    public required string AppealedBy { get; init; }
    public required DateTimeOffset AppealedAt { get; init; }
    public required AppealState State { get; init; }
    public string? Opinion { get; init; }
    public string? DecidedBy { get; init; }
    public DateTimeOffset? DecidedAt { get; init; }
}

/// <summary>
/// One review (评价) of one case, given once (一事一评). The case document holds it (so "once" is one
/// conditional write); the evaluations store holds a copy for public lists and statistics, without the
/// typed text: only <see cref="PublicText"/>, its masked form, leaves the case.
/// </summary>
public sealed record Evaluation
{
    public required string Id { get; init; }
    public required string ApplicationId { get; init; }
    public required string OwnerId { get; init; }
    public required string CaseNumber { get; init; }
    public required string ItemCode { get; init; }
    public required string DepartmentCode { get; init; }
    public required string DivisionCode { get; init; }

    /// <summary><see cref="EvaluationChannels.Online"/> or <see cref="EvaluationChannels.Hall"/>.</summary>
    public required string Channel { get; init; }

    public required int Satisfaction { get; init; }
    public required IReadOnlyDictionary<string, int> Indicators { get; init; }

    /// <summary>What the applicant wrote, as typed (free-text rule). Only on the case, never in the public copy.</summary>
    public string? Text { get; init; }

    /// <summary>The text with identity-number-like and phone-like runs masked: what the public sees.</summary>
    public string? PublicText { get; init; }

    public required DateTimeOffset EvaluatedAt { get; init; }

    /// <summary>Who recorded it: the applicant's subject, or the hall clerk who entered the rating device's result.</summary>
    public required string RecordedBy { get; init; }

    public required string RecordedByRole { get; init; }

    public Rectification? Rectification { get; init; }
    public Appeal? Appeal { get; init; }

    /// <summary>Grows with every change, so a late copy never overwrites a newer one in the store.</summary>
    public int Version { get; init; } = 1;

    public bool IsBad => EvaluationChannels.IsBad(Satisfaction);

    public bool Voided => Appeal?.State == AppealState.Upheld;

    /// <summary>The copy the evaluations store keeps: everything but the typed text.</summary>
    public Evaluation ForStore() => this with { Text = null };

    public Statistics.EvaluationFact ToFact() => new(
        Id, CaseNumber, ItemCode, DepartmentCode, DivisionCode, Channel, Satisfaction, Voided, EvaluatedAt,
        Rectification?.DueAt, Rectification is { State: RectificationState.Replied } r ? r.RepliedAt : null);

    /// <summary>One review per case: its id is derived from the application's, so a retry cannot make a second.</summary>
    public static string IdFor(string applicationId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{applicationId}\nevaluation")).AsSpan(0, 16));
}
