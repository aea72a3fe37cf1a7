using System.Text.Json;
using System.Text.Json.Nodes;
using Ali.Serverless.Common;

namespace Ali.Serverless.Adapters.Azure.Cosmos;

/// <summary>
/// Helpers for documents that carry extra, adapter-only fields. Instants are stored with their offset
/// (a due date reads as 24:00 +08:00), which does not sort as text across offsets; the ticks fields
/// beside them are what queries compare and order by.
/// </summary>
internal static class CosmosDocuments
{
    public static JsonObject ToNode<T>(T value) => JsonSerializer.SerializeToNode(value, DocumentJson.Options)!.AsObject();

    public static T FromNode<T>(JsonObject node) => node.Deserialize<T>(DocumentJson.Options)!;

    public static long Ticks(DateTimeOffset instant) => instant.UtcTicks;
}
