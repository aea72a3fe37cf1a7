using System.Diagnostics;
using Ali.Serverless.Applications;
using Ali.Serverless.Audit;
using Ali.Serverless.Functions.Auth;
using Ali.Serverless.Identity;
using Ali.Serverless.Limits;
using Ali.Serverless.PersonalData;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ali.Serverless.LoadTest.Bench;

/// <summary>
/// Where a request's time goes in the store, one call at a time (no concurrency, no HTTP): a Stopwatch over each port
/// call the routes make, through the host's adapters, after a warm-up. Printed with the run, appended with --report.
/// </summary>
internal static class Probe
{
    private const int WarmUp = 200;
    private const int Iterations = 2_000;

    public static async Task<string> RunAsync(Floors floors, string subject, string applicationId)
    {
        var services = floors.Services;
        var applications = services.GetRequiredService<IApplicationStore>();
        var audit = services.GetRequiredService<IAuditStore>();
        var rateLimits = services.GetRequiredService<IRateLimitStore>();
        var keys = services.GetRequiredService<IPersonalDataKeys>();
        var protector = services.GetRequiredService<IPersonalDataProtector>();
        var owner = new Caller(subject, Roles.Applicant, null).OwnerId;
        var stored = await applications.GetAsync(owner, applicationId, default) ?? throw new InvalidOperationException("The probe's application is not in the store.");
        var sealedDocument = await protector.ProtectAsync(stored.Value, default);
        var chain = $"probe:{Guid.NewGuid():N}";
        var etag = stored.ETag;
        var window = new RateLimitRule("probe", int.MaxValue, TimeSpan.FromHours(1)).WindowStart(DateTimeOffset.UtcNow);

        // Authentication as the host does it, with a development key of the probe's own (nothing here talks to the host).
        var settings = AuthSettings.From(new ConfigurationBuilder().AddInMemoryCollection(
            [new KeyValuePair<string, string?>("Auth:DevelopmentSigningKey", $"probe-{Guid.NewGuid():N}")]).Build(), Floors.Environment);
        var token = new DevelopmentTokens(settings, TimeProvider.System).Mint(Roles.Reviewer, "probe-reviewer", "542500-RSJ");
        var request = new DefaultHttpContext().Request;
        request.Headers.Authorization = $"Bearer {token}";
        var validatingEachTime = new CallerAuthenticator(settings);
        var remembering = new CallerAuthenticator(settings, new ValidatedTokens(TimeProvider.System));

        var steps = new List<(string Step, Func<Task> Call)>
        {
            ("`CallerAuthenticator`, the token validated on every request (before)", () => validatingEachTime.AuthenticateAsync(request)),
            ("`CallerAuthenticator`, the validated token remembered (now)", () => remembering.AuthenticateAsync(request)),
            ("`IPersonalDataKeys.GetCurrentAsync` (the KEK for a write)", () => keys.GetCurrentAsync(default)),
            ("`IPersonalDataProtector.ProtectAsync` (encrypt the application's personal data)", () => protector.ProtectAsync(stored.Value, default)),
            ("`IPersonalDataProtector.UnprotectAsync` (decrypt it)", () => protector.UnprotectAsync(sealedDocument, default)),
            ("`IApplicationStore.GetAsync` (point read and decrypt)", () => applications.GetAsync(owner, applicationId, default)),
            ("`IApplicationStore.ReplaceAsync` (encrypt and conditional update)", async () => etag = (await applications.ReplaceAsync(stored.Value, etag, default))!.ETag),
            ("`IRateLimitStore.TryCountAsync` (one counter upsert)", () => rateLimits.TryCountAsync("applicant:probe", "probe", window, TimeSpan.FromHours(1), int.MaxValue, default)),
            ("`IAuditStore.GetLastAsync` (last record of a chain)", () => audit.GetLastAsync(chain, default)),
            ("`IAuditStore.GetLastAsync` + `TryCreateAsync` (one append)", async () =>
            {
                var last = await audit.GetLastAsync(chain, default);
                var entry = AuditEntry.By(new Caller("probe", Roles.Reviewer, "542500-RSJ"), null, AuditActions.StaffRequest, "probe", AuditActions.Success, DateTimeOffset.UtcNow) with { Chain = chain };
                await audit.TryCreateAsync(AuditRecord.Next(entry, Guid.NewGuid().ToString("N"), last), default);
            }),
        };
        var lines = new List<string> { "", "| store call (one at a time, in process) | µs per call |", "| --- | ---: |" };
        foreach (var (step, call) in steps)
        {
            for (var i = 0; i < WarmUp; i++)
            {
                await call();
            }
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < Iterations; i++)
            {
                await call();
            }
            var micros = clock.Elapsed.TotalMicroseconds / Iterations;
            Console.WriteLine($"{micros,9:F1} µs  {step}");
            lines.Add($"| {step} | {micros:F0} |");
        }
        return string.Join("\n", lines) + "\n";
    }
}
