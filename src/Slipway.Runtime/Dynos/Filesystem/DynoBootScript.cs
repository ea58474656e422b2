namespace Slipway.Runtime.Dynos.Filesystem;

/// <summary>
/// What a dyno runs from its /app, as on Heroku: bash sources <c>.profile.d/*.sh</c> then <c>.profile</c>, then runs the
/// command. The command is the script's last line, parsed as <c>bash -c</c> would parse it on its own; bash execs a
/// last simple command in place, so the app replaces the shell without a second bash starting (a wake waits for each exec).
/// </summary>
internal static class DynoBootScript
{
    public static IReadOnlyList<string> Command(string appInside, string command)
    {
        var app = Quote(appInside);
        var profiles =
            $"for __slipway_profile in {app}/.profile.d/*.sh; do [ -r \"$__slipway_profile\" ] && . \"$__slipway_profile\"; done; " +
            "unset __slipway_profile; " +
            $"if [ -r {app}/.profile ]; then . {app}/.profile; fi";

        // A newline, not ';': the command starts a line of its own, so a leading comment or keyword keeps its meaning.
        return ["/bin/bash", "-c", profiles + "\n" + command];
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
