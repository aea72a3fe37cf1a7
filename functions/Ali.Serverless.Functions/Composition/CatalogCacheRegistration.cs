using Ali.Serverless.Catalog;
using Microsoft.Extensions.DependencyInjection;

namespace Ali.Serverless.Functions.Composition;

/// <summary>
/// Puts <see cref="CatalogCache"/> in front of whichever catalog store <see cref="ServiceRegistration.AddStores"/>
/// registered (decision 20), so every reader of the catalog reads memory.
/// </summary>
public static class CatalogCacheRegistration
{
    public static IServiceCollection AddCatalogCache(this IServiceCollection services, CatalogCacheOptions? options = null)
    {
        var store = services.Last(d => d.ServiceType == typeof(ICatalogStore));
        services.Remove(store);
        services.AddSingleton(options ?? new CatalogCacheOptions());
        services.AddSingleton(sp => new CatalogCache(Create(sp, store), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<CatalogCacheOptions>()));
        services.AddSingleton<ICatalogStore>(sp => sp.GetRequiredService<CatalogCache>());
        return services;
    }

    private static ICatalogStore Create(IServiceProvider services, ServiceDescriptor descriptor) => (ICatalogStore)(
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));
}
