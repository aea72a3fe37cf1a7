using Ali.Serverless.Functions.Logging;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ali.Serverless.Functions.Composition;

/// <summary>
/// Redaction in the logging pipeline (decision 12): every log parameter classified as personal data
/// (<see cref="PersonalDataTaxonomy"/>) is erased before a provider (console, Application Insights)
/// sees it; unclassified parameters pass unchanged. Called from <see cref="ServiceRegistration.AddAliServerless"/>,
/// so the Functions app and the local host log the same way.
/// </summary>
public static class RedactionRegistration
{
    public static IServiceCollection AddPersonalDataRedaction(this IServiceCollection services)
    {
        services.AddRedaction(redaction => redaction.SetRedactor<ErasingRedactor>(PersonalDataTaxonomy.All));
        services.AddLogging(logging => logging.EnableRedaction());
        return services;
    }
}
