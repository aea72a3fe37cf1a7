using Ali.Serverless.Adapters.Azure;
using Ali.Serverless.Adapters.Azure.Queues;
using Ali.Serverless.Adapters.Azure.ServiceBus;
using Ali.Serverless.Cases;
using Ali.Serverless.Functions.Composition;
using Ali.Serverless.Functions.Tests.Support;
using Ali.Serverless.Operations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ali.Serverless.Functions.Tests.Composition;

/// <summary>Which adapters hand tasks over, and how the department settings are read. Nothing connects.</summary>
public sealed class DepartmentSystemsRegistrationTests
{
    private static readonly AzureStorage LocalStorage = AzureStorage.FromConnectionString("UseDevelopmentStorage=true");

    private static ServiceProvider Build(IConfiguration configuration, AzureStorage? storage = null) =>
        new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddDepartmentSystems(configuration, storage ?? LocalStorage)
            .BuildServiceProvider();

    [Fact]
    public async Task WithoutANamespace_TasksGoToTheStorageQueueStandIn()
    {
        await using var services = Build(TestAuth.Configuration());

        Assert.IsType<StorageDepartmentTaskPublisher>(services.GetRequiredService<IDepartmentTaskPublisher>());
        Assert.IsType<StorageQueueMonitor>(services.GetRequiredService<IQueueMonitor>());
        Assert.IsType<StoragePoisonQueue>(services.GetRequiredService<IPoisonQueue>());
    }

    [Fact]
    public async Task WithANamespace_TasksGoToTheServiceBusTopic()
    {
        await using var services = Build(TestAuth.Configuration(
            ("ServiceBus:fullyQualifiedNamespace", "sb-ali-test.servicebus.example.test"),
            ("AZURE_CLIENT_ID", "00000000-0000-0000-0000-000000000001")));

        Assert.IsType<ServiceBusDepartmentTaskPublisher>(services.GetRequiredService<IDepartmentTaskPublisher>());
        Assert.Equal("sb-ali-test.servicebus.example.test", services.GetRequiredService<ServiceBusDepartmentTasks>().FullyQualifiedNamespace);
    }

    [Fact]
    public void AContainerDisposedSynchronously_ClosesTheServiceBusClientToo()
    {
        var services = Build(TestAuth.Configuration(("ServiceBus:fullyQualifiedNamespace", "sb-ali-test.servicebus.example.test")));
        _ = services.GetRequiredService<IDepartmentTaskPublisher>();

        services.Dispose();
    }

    [Fact]
    public void Options_ReadTheDepartmentsList_TrimmedAndExact()
    {
        var options = DepartmentSystemsRegistration.Options(
            TestAuth.Configuration(("DepartmentSystems:Departments", " 542500-ZRZYJ, 542500-STHJJ ,,")), isLocal: true);

        Assert.True(options.HasOwnSystem("542500-ZRZYJ"));
        Assert.True(options.HasOwnSystem("542500-STHJJ"));
        Assert.False(options.HasOwnSystem("542500-zrzyj"));
        Assert.False(options.HasOwnSystem("542500-RSJ"));
        Assert.Equal(2, options.Departments.Count);
    }

    [Fact]
    public void Options_WithoutDepartments_NoDepartmentHasItsOwnSystem()
    {
        var options = DepartmentSystemsRegistration.Options(TestAuth.Configuration(), isLocal: true);

        Assert.Empty(options.Departments);
    }

    [Fact]
    public void Options_Locally_LinkTasksToTheLocalHost_ByDefault()
    {
        var options = DepartmentSystemsRegistration.Options(TestAuth.Configuration(), isLocal: true);

        Assert.Equal("http://127.0.0.1:7071/api/tasks/t-1", options.TaskUrl("t-1"));
    }

    [Fact]
    public void Options_LinkTasksToTheConfiguredBaseUrl()
    {
        var options = DepartmentSystemsRegistration.Options(
            TestAuth.Configuration(("DepartmentSystems:ApiBaseUrl", "https://func-ali-prod.example.test")), isLocal: false);

        Assert.Equal("https://func-ali-prod.example.test/api/tasks/t-1", options.TaskUrl("t-1"));
    }

    [Fact]
    public void Options_InAzure_RequireTheBaseUrl()
    {
        var error = Assert.Throws<InvalidOperationException>(() => DepartmentSystemsRegistration.Options(TestAuth.Configuration(), isLocal: false));

        Assert.Contains("DepartmentSystems__ApiBaseUrl", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DepartmentSystems:Departments", "542500-ZRZYJ;542500-STHJJ", "DepartmentSystems__Departments")]
    [InlineData("DepartmentSystems:Departments", "542500 ZRZYJ", "DepartmentSystems__Departments")]
    [InlineData("DepartmentSystems:ApiBaseUrl", "func-ali-prod.example.test", "DepartmentSystems__ApiBaseUrl")]
    [InlineData("DepartmentSystems:ApiBaseUrl", "ftp://func-ali-prod.example.test", "DepartmentSystems__ApiBaseUrl")]
    public void Options_RefuseAMalformedSetting_NamingIt(string key, string value, string settingName)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            DepartmentSystemsRegistration.Options(TestAuth.Configuration((key, value)), isLocal: true));

        Assert.Contains(settingName, error.Message, StringComparison.Ordinal);
    }
}
