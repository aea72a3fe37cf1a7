using Ali.Serverless.Cases;
using Ali.Serverless.Storage;
using Azure.Core;
using Azure.Messaging.ServiceBus;

namespace Ali.Serverless.Adapters.Azure.ServiceBus;

/// <summary>
/// The connection to the Service Bus namespace that carries department tasks: one client and one sender
/// for the app's lifetime (both are meant to be long-lived). Identity-based only: the namespace has
/// local (key) auth off, so there is no connection string to pass.
/// </summary>
public sealed class ServiceBusDepartmentTasks : IAsyncDisposable, IDisposable
{
    private readonly ServiceBusClient _client;

    private ServiceBusDepartmentTasks(ServiceBusClient client, string topic)
    {
        _client = client;
        Publisher = new ServiceBusDepartmentTaskPublisher(client.CreateSender(topic));
    }

    public IDepartmentTaskPublisher Publisher { get; }

    /// <summary>The namespace's host name, as the client uses it.</summary>
    public string FullyQualifiedNamespace => _client.FullyQualifiedNamespace;

    /// <summary>Connects (lazily, on the first send) as the app's managed identity, or the default chain without one.</summary>
    public static ServiceBusDepartmentTasks Connect(string fullyQualifiedNamespace, string? managedIdentityClientId) =>
        Connect(fullyQualifiedNamespace, AzureCredentials.For(managedIdentityClientId));

    /// <param name="fullyQualifiedNamespace">The namespace's host name, e.g. <c>sb-ali-prod.servicebus.chinacloudapi.cn</c>;
    /// its endpoint URL (<c>https://...:443/</c>, the resource's <c>serviceBusEndpoint</c>) is accepted too.</param>
    public static ServiceBusDepartmentTasks Connect(string fullyQualifiedNamespace, TokenCredential credential, string topic = StorageNames.DepartmentTasksTopic)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fullyQualifiedNamespace);
        var host = Uri.TryCreate(fullyQualifiedNamespace, UriKind.Absolute, out var endpoint) && endpoint.Host.Length > 0
            ? endpoint.Host
            : fullyQualifiedNamespace.Trim();
        return new(new ServiceBusClient(host, credential), topic);
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    /// <summary>For a container disposed synchronously, which refuses a singleton that is only IAsyncDisposable.</summary>
    public void Dispose() => _client.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
