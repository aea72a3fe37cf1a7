using Ali.Serverless.Adapters.Azure.Blobs;
using Ali.Serverless.Adapters.Azure.Queues;
using Ali.Serverless.Cases;
using Ali.Serverless.Materials;
using Ali.Serverless.Operations;
using Ali.Serverless.Pipeline;
using Ali.Serverless.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;

namespace Ali.Serverless.Adapters.Azure;

/// <summary>
/// The storage account of the app: materials (blobs) and work queues. In Azure it is reached by its
/// endpoints under the managed identity and its containers and queues come from the template; locally
/// (Azurite, a connection string) this class creates them, with the CORS rule browsers need to PUT
/// materials straight into Blob Storage.
/// </summary>
public sealed class AzureStorage
{
    private static readonly QueueClientOptions QueueOptions = new() { MessageEncoding = QueueMessageEncoding.Base64 };

    private readonly QueueServiceClient _queuesAsStored;

    private AzureStorage(BlobServiceClient blobs, QueueServiceClient queues, QueueServiceClient queuesAsStored, bool isLocal)
    {
        Blobs = blobs;
        Queues = queues;
        _queuesAsStored = queuesAsStored;
        IsLocal = isLocal;
    }

    public BlobServiceClient Blobs { get; }

    /// <summary>Queue clients with Base64 message encoding, which the Functions queue trigger expects.</summary>
    public QueueServiceClient Queues { get; }

    /// <summary>True for a connection string (Azurite): this run may create what it needs.</summary>
    public bool IsLocal { get; }

    public static AzureStorage FromConnectionString(string connectionString) =>
        new(new BlobServiceClient(connectionString), new QueueServiceClient(connectionString, QueueOptions),
            new QueueServiceClient(connectionString), isLocal: true);

    public static AzureStorage FromIdentity(Uri blobServiceUri, Uri queueServiceUri, string? managedIdentityClientId)
    {
        var credential = AzureCredentials.For(managedIdentityClientId);
        return new(new BlobServiceClient(blobServiceUri, credential), new QueueServiceClient(queueServiceUri, credential, QueueOptions),
            new QueueServiceClient(queueServiceUri, credential), isLocal: false);
    }

    public IMaterialStorage Materials(TimeProvider clock) =>
        new BlobMaterialStorage(Blobs.GetBlobContainerClient(StorageNames.MaterialsContainer), clock);

    public ISubmissionQueue SubmissionQueue() =>
        new StorageSubmissionQueue(Queues.GetQueueClient(StorageNames.ApplicationSubmittedQueue));

    public IWorkQueue WorkQueue() => new StorageWorkQueue(Queues);
    /// <summary>The local stand-in for the Service Bus topic: a queue per department, created with its first task.</summary>
    public IDepartmentTaskPublisher DepartmentTaskQueues() => new StorageDepartmentTaskPublisher(Queues);

    /// <summary>Reads depth, poison depth and oldest age; on clients without encoding, so no message body is decoded.</summary>
    public IQueueMonitor QueueMonitor(TimeProvider clock) => new StorageQueueMonitor(_queuesAsStored, clock);

    public IPoisonQueue PoisonQueue() => new StoragePoisonQueue(Queues);

    /// <summary>Creates the materials container, the queues and their poison queues, and blob CORS. Local runs only.</summary>
    public async Task EnsureLocalResourcesAsync(CancellationToken cancellationToken)
    {
        if (!IsLocal)
        {
            return;
        }
        await Blobs.GetBlobContainerClient(StorageNames.MaterialsContainer).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        foreach (var queue in StorageNames.Queues)
        {
            await Queues.GetQueueClient(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await Queues.GetQueueClient(StorageNames.PoisonQueue(queue)).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }
        // A front end on any local origin may PUT to an upload URL; in Azure the template lists the portal origins.
        var properties = (await Blobs.GetPropertiesAsync(cancellationToken)).Value;
        properties.Cors =
        [
            new BlobCorsRule
            {
                AllowedOrigins = "*",
                AllowedMethods = "PUT,GET,HEAD,OPTIONS",
                AllowedHeaders = "content-type,x-ms-blob-type,x-ms-version,x-ms-date,x-ms-client-request-id,content-md5,x-ms-blob-content-type,x-ms-blob-content-md5",
                ExposedHeaders = "etag,x-ms-request-id,x-ms-version",
                MaxAgeInSeconds = 3600,
            },
        ];
        await Blobs.SetPropertiesAsync(properties, cancellationToken);
    }
}
