namespace Ali.Serverless.Statistics;

/// <summary>
/// What performance statistics need to know of one good/bad review (好差评), and nothing personal:
/// no applicant, no text. The review store implements this; the statistics job only reads it.
/// </summary>
/// <param name="Satisfaction">GB/T 39046 scale: 1 very satisfied … 5 very dissatisfied; 4 and 5 are bad reviews.</param>
/// <param name="Voided">Voided by a supervisor after an upheld appeal (申诉复核): left out of every figure.</param>
/// <param name="RectificationDueAt">For a bad review, when its rectification task falls due.</param>
/// <param name="RectifiedAt">When the department replied to the applicant, closing the rectification.</param>
/// <param name="DivisionCode">The item's administrative division (GB/T 2260), as on <c>ServiceItem.DivisionCode</c>: a county or the prefecture.</param>
public sealed record EvaluationFact(
    string EvaluationId,
    string CaseNumber,
    string ItemCode,
    string DepartmentCode,
    string DivisionCode,
    string Channel,
    int Satisfaction,
    bool Voided,
    DateTimeOffset EvaluatedAt,
    DateTimeOffset? RectificationDueAt,
    DateTimeOffset? RectifiedAt)
{
    public bool IsBad => Evaluations.EvaluationChannels.IsBad(Satisfaction);
}

/// <summary>Reviews given in a period, for the statistics job (cross-partition, timer only).</summary>
public interface IEvaluationFacts
{
    /// <summary>Every review evaluated in [<paramref name="from"/>, <paramref name="to"/>), voided ones included and marked.</summary>
    Task<IReadOnlyList<EvaluationFact>> ListEvaluatedBetweenAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}
