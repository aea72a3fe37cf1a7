using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ali.Serverless.Infra.Tests;

/// <summary>Role assignments: the data-plane roles the issue names, each on the narrowest scope, nothing broad.</summary>
[Collection(InfraCollection.Name)]
public sealed partial class LeastPrivilegeTests(InfraFixture infra)
{
    private static readonly IReadOnlyDictionary<string, string> Roles = new Dictionary<string, string>
    {
        ["ba92f5b4-2d11-453d-a403-e96b0029c9fe"] = "Storage Blob Data Contributor",
        ["db58b8e5-c6ad-4a2a-8342-4190687cbf4a"] = "Storage Blob Delegator",
        ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = "Storage Queue Data Contributor",
        ["69a216fc-b8fb-44d8-bc22-1f3c2cd27a39"] = "Azure Service Bus Data Sender",
        ["4f6d3b08-6e56-4c8d-9d2e-7ee93ba54d6e"] = "Azure Service Bus Data Receiver",
        ["4633458b-17de-408a-b874-0445c86b69e6"] = "Key Vault Secrets User",
        ["3913510d-42f4-4e42-8a64-420c390055eb"] = "Monitoring Metrics Publisher",
    };

    [Fact]
    public void RoleAssignments_UseExactlyTheExpectedRoles()
    {
        var used = Assignments(infra.Main).Select(a => a.RoleId).ToHashSet();

        Assert.Equal(Roles.Keys.Order(), used.Order());
    }

    [Theory]
    [InlineData("ba92f5b4-2d11-453d-a403-e96b0029c9fe", "Microsoft.Storage/storageAccounts")]
    [InlineData("db58b8e5-c6ad-4a2a-8342-4190687cbf4a", "Microsoft.Storage/storageAccounts")]
    [InlineData("974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Microsoft.Storage/storageAccounts")]
    [InlineData("69a216fc-b8fb-44d8-bc22-1f3c2cd27a39", "Microsoft.ServiceBus/namespaces/topics")]
    [InlineData("4f6d3b08-6e56-4c8d-9d2e-7ee93ba54d6e", "Microsoft.ServiceBus/namespaces/topics/subscriptions")]
    [InlineData("4633458b-17de-408a-b874-0445c86b69e6", "Microsoft.KeyVault/vaults")]
    [InlineData("3913510d-42f4-4e42-8a64-420c390055eb", "Microsoft.Insights/components")]
    public void RoleAssignment_IsScopedToItsResource(string roleId, string scopeType)
    {
        var assignments = Assignments(infra.Main).Where(a => a.RoleId == roleId).ToList();

        Assert.NotEmpty(assignments);
        // The deployer's grant on the package container is narrower still.
        Assert.All(assignments, a => Assert.True(
            a.ScopeType == scopeType || a.ScopeType == "Microsoft.Storage/storageAccounts/blobServices/containers",
            $"{Roles[roleId]} is granted on {a.ScopeType ?? "the resource group"}, expected {scopeType}"));
    }

    [Fact]
    public void DepartmentReceivers_AreGrantedOnTheirOwnSubscriptionOnly()
    {
        var receiver = Assert.Single(Assignments(infra.Main), a => a.RoleId == "4f6d3b08-6e56-4c8d-9d2e-7ee93ba54d6e");
        var body = receiver.Resource.Body;

        Assert.NotNull(body["copy"]);
        Assert.Contains("parameters('departments')[copyIndex()].code", (string?)body["scope"], StringComparison.Ordinal);
        Assert.Contains("parameters('departments')[copyIndex()]", body["properties"]!["principalId"]!.ToString(), StringComparison.Ordinal);
    }

    private const string SqlRoleAssignments = "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments";
    private const string ContainerPath = "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers/";

    [Fact]
    public void Cosmos_DataContributor_IsGrantedContainerByContainer_EveryOneButTheAuditTrail()
    {
        var contributor = Assert.Single(ArmTemplate.OfType(infra.Main, SqlRoleAssignments),
            a => ((string)a.Get("properties.roleDefinitionId")!).Contains("dataContributorRoleId", StringComparison.Ordinal));

        Assert.Equal("00000000-0000-0000-0000-000000000002", ResolveGuid((string)contributor.Get("properties.roleDefinitionId")!, contributor.DeclaringTemplate));
        // One assignment per container (a copy loop), on the container: /dbs/{db}/colls/{container}...
        Assert.Contains("/dbs/{1}/colls/{2}", (string?)contributor.Get("properties.scope"), StringComparison.Ordinal);
        // ...over the containers that are not the audit trail's.
        var count = (string?)contributor.Get("copy.count");
        Assert.Contains("not(equals(lambdaVariables('c').name, parameters('auditContainerName')))", count, StringComparison.Ordinal);
        Assert.Contains("filter(parameters('containers')", count, StringComparison.Ordinal);
        Assert.Equal(Ali.Serverless.Storage.StorageNames.AuditContainer, (string?)ArmTemplate.ModuleParameter(infra.Main, "cosmos", "auditContainerName"));
    }

    [Fact]
    public void Cosmos_AuditTrail_TheAppMayCreateReadAndQueryRecords_NeverReplaceOrDeleteThem()
    {
        var role = Assert.Single(ArmTemplate.OfType(infra.Main, "Microsoft.DocumentDB/databaseAccounts/sqlRoleDefinitions"));
        var actions = ArmTemplate.Resolve(role.Get("properties.permissions")!.AsArray().Single()!["dataActions"], role.DeclaringTemplate)!
            .AsArray().Select(a => (string)a!).ToList();
        var auditScope = (string?)ArmTemplate.Resolve(role.Get("properties.assignableScopes")!.AsArray().Single(), role.DeclaringTemplate);

        Assert.Equal("CustomRole", (string?)role.Get("properties.type"));
        Assert.Equal(
            ["Microsoft.DocumentDB/databaseAccounts/readMetadata", ContainerPath + "executeQuery", ContainerPath + "items/create", ContainerPath + "items/read", ContainerPath + "readChangeFeed"],
            actions.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(actions, a => a.Contains('*') || a.EndsWith("/replace", StringComparison.Ordinal) || a.EndsWith("/upsert", StringComparison.Ordinal)
            || a.EndsWith("/delete", StringComparison.Ordinal) || a.Contains("storedProcedures", StringComparison.Ordinal));
        Assert.Contains("/dbs/{1}/colls/{2}", auditScope, StringComparison.Ordinal);
        Assert.Contains("parameters('auditContainerName')", auditScope, StringComparison.Ordinal);

        // The app holds it on the audit container, and no other grant of the app reaches that container.
        var assignments = ArmTemplate.OfType(infra.Main, SqlRoleAssignments);
        var appender = Assert.Single(assignments, a => ((string)a.Get("properties.roleDefinitionId")!).Contains("sqlRoleDefinitions', parameters('name'), guid(", StringComparison.Ordinal));
        Assert.Equal(auditScope, (string?)ArmTemplate.Resolve(appender.Get("properties.scope"), appender.DeclaringTemplate));
        Assert.Equal(2, assignments.Count);
        Assert.All(assignments, a => Assert.Contains("/colls/", (string?)ArmTemplate.Resolve(a.Get("properties.scope"), a.DeclaringTemplate), StringComparison.Ordinal));
    }

    [Fact]
    public void AppIdentity_GetsNoControlPlaneRole()
    {
        var broad = new[]
        {
            "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", // Owner
            "b24988ac-6180-42a0-ab88-20f7382dd24c", // Contributor
            "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", // User Access Administrator
            "17d1049b-9a84-46fb-8f53-869881c3d3ab", // Storage Account Contributor
            "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", // Storage Blob Data Owner
            "090c5cfd-751d-490a-894a-3ce6f1109419", // Azure Service Bus Data Owner
            "00482a5a-887f-4fb3-b363-3b7fe8e74483", // Key Vault Administrator
        };

        Assert.Empty(Assignments(infra.Main).Select(a => a.RoleId).Intersect(broad));
        Assert.DoesNotContain(Assignments(infra.Main), a => a.ScopeType is null);
    }

    private sealed record Assignment(ArmResource Resource, string RoleId, string? ScopeType);

    private static IEnumerable<Assignment> Assignments(JsonNode template) =>
        ArmTemplate.OfType(template, "Microsoft.Authorization/roleAssignments").Select(r => new Assignment(
            r,
            ResolveGuid((string)r.Get("properties.roleDefinitionId")!, r.DeclaringTemplate),
            r.ScopeType));

    /// <summary>The role GUID of a roleDefinitionId expression, following variables('x') or variables('x').y.</summary>
    private static string ResolveGuid(string expression, JsonObject template)
    {
        var literal = GuidPattern().Match(expression);
        if (literal.Success)
        {
            return literal.Value;
        }
        var reference = VariablePath().Match(expression);
        Assert.True(reference.Success, $"cannot find a role id in {expression}");
        JsonNode? value = template["variables"]?[reference.Groups[1].Value];
        if (reference.Groups[2].Success)
        {
            value = value?[reference.Groups[2].Value];
        }
        return (string?)value ?? throw new InvalidOperationException($"unresolved role id in {expression}");
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex GuidPattern();

    [GeneratedRegex(@"variables\('([^']+)'\)(?:\.(\w+))?")]
    private static partial Regex VariablePath();
}
