using System.Globalization;
using System.Text;

namespace Slipway.Server;

internal static class Configuration
{
    private static readonly string[] Flags =
        ["data-dir", "api-port", "router-port", "router-tls-port", "router-certificate", "router-certificate-key", "storage-port", "domain", "isolation", "dyno-ports", "uid-base", "boot-timeout-seconds", "stop-grace-seconds", "router-request-timeout-seconds", "router-idle-timeout-seconds", "idle-after-seconds", "free-quota-hours", "verified-quota-hours", "eco-quota-hours", "quota-checkpoint-seconds", "cycle-after-seconds", "cycle-jitter-seconds", "admin-email", "buildpacks-dir"];

    /// <summary>Layers appsettings, then <c>SLIPWAY_*</c> env, then <c>--flags</c>, all under the <c>Slipway</c> section.</summary>
    public static void AddSlipwaySettings(this IConfigurationBuilder configuration, string[] args)
    {
        var fromEnvironment = new Dictionary<string, string?>();
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && key.StartsWith("SLIPWAY_", StringComparison.Ordinal))
            {
                fromEnvironment["Slipway:" + Pascal(key["SLIPWAY_".Length..].ToLowerInvariant().Replace('_', '-'))] = entry.Value as string;
            }
        }

        configuration.AddInMemoryCollection(fromEnvironment);
        configuration.AddCommandLine(args, Flags.ToDictionary(f => "--" + f, f => "Slipway:" + Pascal(f)));
    }

    private static string Pascal(string dashed)
    {
        var result = new StringBuilder();
        foreach (var part in dashed.Split('-', StringSplitOptions.RemoveEmptyEntries))
        {
            result.Append(char.ToUpper(part[0], CultureInfo.InvariantCulture)).Append(part.AsSpan(1));
        }

        return result.ToString();
    }
}
