using Microsoft.Extensions.Compliance.Classification;

namespace Ali.Serverless.Functions.Logging;

/// <summary>
/// The one classification of personal data for logs and telemetry (decision 12). A log parameter that
/// can carry one of these is marked with its attribute, and the logging pipeline redacts it before any
/// provider sees it. Kept here, not in Core: Core takes no logging dependency, and its types are not
/// logged whole, so the classification sits on the log parameters.
/// </summary>
public static class PersonalDataTaxonomy
{
    public const string TaxonomyName = "Ali.PersonalData";

    /// <summary>Resident ID numbers and unified social credit codes.</summary>
    public static DataClassification IdentityNumber { get; } = new(TaxonomyName, nameof(IdentityNumber));

    public static DataClassification PhoneNumber { get; } = new(TaxonomyName, nameof(PhoneNumber));

    public static DataClassification PersonName { get; } = new(TaxonomyName, nameof(PersonName));

    /// <summary>A signed-in person's subject (owner) id: pseudonymous, but it names one person.</summary>
    public static DataClassification SubjectId { get; } = new(TaxonomyName, nameof(SubjectId));

    public static DataClassificationSet All { get; } = new(IdentityNumber, PhoneNumber, PersonName, SubjectId);
}

public sealed class IdentityNumberAttribute() : DataClassificationAttribute(PersonalDataTaxonomy.IdentityNumber);

public sealed class PhoneNumberAttribute() : DataClassificationAttribute(PersonalDataTaxonomy.PhoneNumber);

public sealed class PersonNameAttribute() : DataClassificationAttribute(PersonalDataTaxonomy.PersonName);

public sealed class SubjectIdAttribute() : DataClassificationAttribute(PersonalDataTaxonomy.SubjectId);
