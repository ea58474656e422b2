using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Slipway.Core.Logs;
using Slipway.Core.Platform;
using Slipway.Data.Logs;
using Slipway.Runtime.Logs.Drains;

namespace Slipway.Runtime.Logs;

public static class LogServiceCollectionExtensions
{
    /// <summary>
    /// The log pipeline: the in-memory ring every part writes to (<see cref="IAppLog"/>), the persistent history in
    /// <c>logs.db</c> beside the state database, and the drains. Settings come from the <c>Slipway</c> configuration section.
    /// </summary>
    public static IServiceCollection AddSlipwayLogs(this IServiceCollection services, DataDirectory data)
    {
        services.AddOptions<LogOptions>()
            .BindConfiguration("Slipway")
            .Validate(o => !o.Problems().Any(), "Invalid log settings: check Slipway:Log* (every size must be at least 1).")
            .ValidateOnStart();
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<LogOptions>>().Value;
            var logger = sp.GetRequiredService<ILogger<LogHistory>>();
            var store = new LogHistoryStore(Path.Combine(data.Root, "logs.db"), options.LogHistoryLines);
            return new LogHistory(store, options.LogHistoryQueueLines, e => logger.LogError(e, "Could not write log lines to the history; they are lost"));
        });
        services.TryAddSingleton(sp => new AppLogBuffer(
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<LogOptions>>().Value.LogRingLines, sp.GetRequiredService<LogHistory>()));
        services.TryAddSingleton<IAppLog>(sp => sp.GetRequiredService<AppLogBuffer>());
        services.TryAddSingleton(sp => new LogEventStream(
            sp.GetRequiredService<AppLogBuffer>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<LogOptions>>().Value));
        services.TryAddSingleton<LogDrainRepository>();
        services.TryAddSingleton<LogDrains>();
        services.AddHostedService(sp => sp.GetRequiredService<LogDrains>());
        return services;
    }
}
