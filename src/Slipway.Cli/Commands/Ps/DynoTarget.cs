namespace Slipway.Cli.Commands.Ps;

/// <summary>A <c>ps:restart</c>/<c>ps:stop</c> target: a dyno when it has a dot (<c>web.1</c>), else a process type.</summary>
internal static class DynoTarget
{
    public static bool IsDyno(string target) => target.Contains('.', StringComparison.Ordinal);

    public static string Describe(string? target) =>
        target is null ? "dynos" : IsDyno(target) ? $"{target} dyno" : $"{target} dynos";
}
