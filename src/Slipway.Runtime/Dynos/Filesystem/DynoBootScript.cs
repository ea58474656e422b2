namespace Slipway.Runtime.Dynos.Filesystem;

/// <summary>
/// What a dyno runs from its /app, as on Heroku: bash sources <c>.profile.d/*.sh</c> then <c>.profile</c>, then execs the
/// command with <c>bash -c</c>. The command travels as an argument so no quoting can change it.
/// </summary>
internal static class DynoBootScript
{
    public static IReadOnlyList<string> Command(string appInside, string command)
    {
        var app = Quote(appInside);
        var script =
            $"for __slipway_profile in {app}/.profile.d/*.sh; do [ -r \"$__slipway_profile\" ] && . \"$__slipway_profile\"; done; " +
            "unset __slipway_profile; " +
            $"if [ -r {app}/.profile ]; then . {app}/.profile; fi; " +
            "exec /bin/bash -c \"$__slipway_command\"";

        // $__slipway_command is set by the outer bash from its first argument before any profile runs.
        return ["/bin/bash", "-c", "__slipway_command=$1; shift; " + script, "bash", command];
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
