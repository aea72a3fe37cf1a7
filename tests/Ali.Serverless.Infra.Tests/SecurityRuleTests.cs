namespace Ali.Serverless.Infra.Tests;

/// <summary>
/// Each security rule holds on the compiled template, and fails on a copy of it with the rule's
/// property taken away: so a rule that checks nothing cannot pass unnoticed.
/// </summary>
[Collection(InfraCollection.Name)]
public sealed class SecurityRuleTests(InfraFixture infra)
{
    public static TheoryData<string> RuleNames()
    {
        var data = new TheoryData<string>();
        foreach (var rule in SecurityRules.All)
        {
            data.Add(rule.Name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(RuleNames))]
    public void Rule_HoldsOnCompiledTemplate(string ruleName)
    {
        var rule = SecurityRules.Get(ruleName);

        Assert.True(rule.Holds(infra.Main), $"{rule.Name} ({rule.Why}) does not hold on the compiled main.bicep");
    }

    [Theory]
    [MemberData(nameof(RuleNames))]
    public void Rule_FailsWhenItsPropertyIsRemoved(string ruleName)
    {
        var rule = SecurityRules.Get(ruleName);
        var mutated = infra.MainCopy();

        rule.Break(mutated);

        Assert.False(rule.Holds(mutated), $"{rule.Name} still holds after its property was removed: the check checks nothing");
        Assert.True(rule.Holds(infra.Main), "the mutation must not touch the shared compiled template");
    }
}
