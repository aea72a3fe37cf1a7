using Ali.Serverless.Applications;
using Ali.Serverless.Core.Tests.Support;
using Ali.Serverless.PersonalData;

namespace Ali.Serverless.Core.Tests.PersonalData;

public sealed class PersonalDataRotationTests
{
    private readonly TestPersonalDataKeys _keys = new();
    private readonly PersonalDataProtector _protector;
    private readonly InMemoryApplicationStore _store;

    public PersonalDataRotationTests()
    {
        _protector = new PersonalDataProtector(_keys, new ApplicantKeys(_keys));
        _store = new InMemoryApplicationStore(_protector);
    }

    private async Task<Application> SeedAsync(int n)
    {
        var harness = new IntakeHarness();
        var draft = await harness.OpenDraftAsync();
        var application = draft with { Id = $"0192a7b3c4d5e6f70192a7b3c4d5e6{n:D2}" };
        _store.Seed(application);
        return application;
    }

    [Fact]
    public async Task Rewrap_MovesEveryDocumentToTheCurrentKey_InBatches_AndIsIdempotent()
    {
        for (var n = 0; n < 5; n++)
        {
            await SeedAsync(n);
        }
        var second = await _keys.AddVersionAsync(default);
        var rotation = new PersonalDataRotation(_store, _protector);

        var report = await rotation.RewrapAsync(2, default);

        Assert.Equal(new RotationReport(second, 5, 0), report);
        Assert.All(_store.Raw, a => Assert.Equal(second, PersonalDataProtector.KeyIdOf(a.DataKey)));
        Assert.All(_store.All, a => Assert.Equal(IntakeHarness.ValidResidentId, a.Applicant.DocumentNumber));
        Assert.Equal(new RotationReport(second, 0, 0), await rotation.RewrapAsync(2, default));
    }

    [Fact]
    public async Task Rewrap_AfterAnInterruptedRun_CarriesOn()
    {
        for (var n = 0; n < 3; n++)
        {
            await SeedAsync(n);
        }
        var second = await _keys.AddVersionAsync(default);
        using var stop = new CancellationTokenSource();
        var calls = 0;
        _store.BeforeReplace = _ =>
        {
            if (++calls == 2)
            {
                stop.Cancel();
                throw new OperationCanceledException(stop.Token);
            }
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new PersonalDataRotation(_store, _protector).RewrapAsync(10, stop.Token));
        _store.BeforeReplace = null;
        var report = await new PersonalDataRotation(_store, _protector).RewrapAsync(10, default);

        Assert.Equal(2, report.Rewritten);
        Assert.All(_store.Raw, a => Assert.Equal(second, PersonalDataProtector.KeyIdOf(a.DataKey)));
    }

    [Fact]
    public async Task Rewrap_OfADocumentChangedMeanwhile_RereadsIt_AndKeepsTheOtherWritersChange()
    {
        var application = await SeedAsync(0);
        await _keys.AddVersionAsync(default);
        var touched = false;
        _store.BeforeReplace = a =>
        {
            if (!touched)
            {
                touched = true;
                var current = _store.Single(a.OwnerId, a.Id);
                _store.Seed(current with { Language = "bo" });
            }
        };

        var report = await new PersonalDataRotation(_store, _protector).RewrapAsync(10, default);

        Assert.Equal(1, report.Rewritten);
        Assert.Equal("bo", _store.Single(application.OwnerId, application.Id).Language);
    }
}
