namespace Slipway.Runtime.Tests.Dynos;

/// <summary>A small unpacked slug with a <c>.profile.d</c> script and a <c>.profile</c>, owned by the app's uid.</summary>
public static class TestSlug
{
    public static string Create(string directory, int hostUid)
    {
        Directory.CreateDirectory(Path.Combine(directory, ".profile.d"));
        File.WriteAllText(Path.Combine(directory, ".profile.d", "greet.sh"), "export GREETING=from-profile-d\n");
        File.WriteAllText(Path.Combine(directory, ".profile"), "export PROFILE_RAN=yes\n");
        File.WriteAllText(Path.Combine(directory, "Procfile"), "web: ./server\n");
        File.CreateSymbolicLink(Path.Combine(directory, "Procfile.link"), "Procfile");
        if (Environment.UserName == "root")
        {
            foreach (var path in Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories).Append(directory))
            {
                Chown(path, hostUid);
            }
        }

        return directory;
    }

    private static void Chown(string path, int uid)
    {
        using var chown = System.Diagnostics.Process.Start("/bin/chown", ["-h", $"{uid}:{uid}", path]);
        chown.WaitForExit();
    }
}
