using System.Text.Json.Nodes;
using Ali.Serverless.Adapters.Azure.ServiceBus;
using Ali.Serverless.Storage;

namespace Ali.Serverless.Infra.Tests;

/// <summary>The department-tasks topic: one subscription per department, filtered on the department property, dead-lettering on.</summary>
[Collection(InfraCollection.Name)]
public sealed class ServiceBusTests(InfraFixture infra)
{
    [Fact]
    public void Topic_IsDepartmentTasks()
    {
        Assert.Equal("department-tasks", StorageNames.DepartmentTasksTopic);
        Assert.Equal(StorageNames.DepartmentTasksTopic, (string?)ArmTemplate.ModuleParameter(infra.Main, "servicebus", "topicName"));
        Assert.Equal("[parameters('departments')]", (string?)ArmTemplate.ModuleParameter(infra.Main, "servicebus", "departments"));
    }

    [Fact]
    public void Subscriptions_AreOnePerDepartment_WithDeadLettering()
    {
        var subscription = Assert.Single(ArmTemplate.OfType(infra.Main, "Microsoft.ServiceBus/namespaces/topics/subscriptions"));

        Assert.Contains("parameters('departments')", subscription.Body["copy"]!["count"]!.ToString(), StringComparison.Ordinal);
        Assert.Contains("parameters('departments')[copyIndex()].code", (string?)subscription.Body["name"], StringComparison.Ordinal);
        Assert.True(subscription.Get("properties.deadLetteringOnMessageExpiration")!.GetValue<bool>());
        Assert.True(subscription.Get("properties.deadLetteringOnFilterEvaluationExceptions")!.GetValue<bool>());
    }

    [Fact]
    public void EachSubscription_ReplacesTheDefaultRule_WithASqlFilterOnTheDepartmentProperty()
    {
        var rule = Assert.Single(ArmTemplate.OfType(infra.Main, "Microsoft.ServiceBus/namespaces/topics/subscriptions/rules"));

        Assert.Contains("'$Default'", (string?)rule.Body["name"], StringComparison.Ordinal);
        Assert.Equal("SqlFilter", (string?)rule.Get("properties.filterType"));
        var expression = (string?)rule.Get("properties.sqlFilter.sqlExpression");
        // The property the publisher sets on every message; the filter compares the whole name.
        Assert.Equal("department", ServiceBusDepartmentTaskPublisher.DepartmentProperty);
        Assert.StartsWith($"[format('{ServiceBusDepartmentTaskPublisher.DepartmentProperty} = ''{{0}}''", expression, StringComparison.Ordinal);
        Assert.Contains("parameters('departments')[copyIndex()].code", expression, StringComparison.Ordinal);
    }

    [Fact]
    public void ParameterFiles_NameDepartmentsBySafeCodes()
    {
        foreach (var (file, compiled) in infra.CompiledParameters)
        {
            var departments = compiled?["parameters"]?["departments"]?["value"] as JsonArray ?? [];
            Assert.All(departments, d => Assert.Matches("^[A-Za-z0-9-]{1,50}$", (string?)d!["code"] ?? ""));
        }
    }
}
