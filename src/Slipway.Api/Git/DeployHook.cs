namespace Slipway.Api.Git;

/// <summary>
/// The repository's <c>pre-receive</c> hook. It runs inside <c>git receive-pack</c> (so its output reaches the pusher as
/// <c>remote:</c> lines) and hands the ref updates to slipwayd, which builds and answers with the build output and an exit code.
/// The quarantine object directories travel along so slipwayd can read the pushed commit before git accepts it.
/// </summary>
internal static class DeployHook
{
    public const string ExitMarker = "slipway-hook-exit ";

    private const string Script = """
        #!/bin/sh
        # Installed by slipwayd: the push is built by slipwayd and accepted only when the build succeeds.
        if [ -z "$SLIPWAY_GIT_HOOK_URL" ]; then
          echo " !     This repository accepts pushes only through slipwayd." >&2
          exit 1
        fi
        curl --silent --show-error --no-buffer --noproxy '*' -X POST --data-binary @- \
          -H "Content-Type: text/plain" \
          -H "X-Git-Object-Directory: $GIT_OBJECT_DIRECTORY" \
          -H "X-Git-Alternate-Object-Directories: $GIT_ALTERNATE_OBJECT_DIRECTORIES" \
          "$SLIPWAY_GIT_HOOK_URL" | {
          while IFS= read -r line; do
            case "$line" in
              "slipway-hook-exit "*) exit "${line#slipway-hook-exit }" ;;
            esac
            printf '%s\n' "$line"
          done
          echo " !     Lost contact with slipwayd during the deploy; the push was not accepted."
          exit 1
        }

        """;

    public static async Task InstallAsync(string repository, CancellationToken cancellationToken)
    {
        var hooks = Path.Combine(repository, "hooks");
        Directory.CreateDirectory(hooks);
        var path = Path.Combine(hooks, "pre-receive");
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, Script.ReplaceLineEndings("\n"), cancellationToken);
        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.Move(temp, path, overwrite: true);
    }
}
