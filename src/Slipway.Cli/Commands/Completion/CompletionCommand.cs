using System.CommandLine;

namespace Slipway.Cli.Commands.Completion;

/// <summary>
/// <c>slipway completion bash|zsh</c> prints a script for the shell to source; the script asks
/// <c>slipway __complete "&lt;line so far&gt;"</c>, which answers from the command tree itself, so completions never go stale.
/// </summary>
internal static class CompletionCommand
{
    /// <summary>The hidden entry point the shell scripts call.</summary>
    public const string Name = "__complete";

    private const string Bash = """
        # slipway completion for bash: add `source <(slipway completion bash)` to ~/.bashrc
        _slipway_complete() {
          local line="${COMP_LINE:0:COMP_POINT}"
          local IFS=$'\n'
          COMPREPLY=($(slipway __complete "${line#*slipway}" 2>/dev/null))
          # bash splits words at ':' (apps:create): offer only what follows the last ':' of the current word.
          local cur="${line##*[[:space:]]}"
          if [[ "$cur" == *:* ]]; then
            local prefix="${cur%:*}:"
            COMPREPLY=("${COMPREPLY[@]#"$prefix"}")
          fi
        }
        complete -o default -F _slipway_complete slipway

        """;

    private const string Zsh = """
        # slipway completion for zsh: add `source <(slipway completion zsh)` to ~/.zshrc
        _slipway_complete() {
          local -a words_so_far
          words_so_far=("${(@f)$(slipway __complete "${BUFFER[1,CURSOR]#*slipway}" 2>/dev/null)}")
          compadd -Q -- "${words_so_far[@]}"
        }
        compdef _slipway_complete slipway

        """;

    public static Command Create(CliContext context)
    {
        var shell = new Argument<string>("shell") { Description = "bash or zsh", DefaultValueFactory = _ => "bash" };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Command("completion", "Print a shell completion script: source <(slipway completion bash)") { shell };
        command.SetAction(parse => context.Ui.Out.Write(parse.GetValue(shell) == "zsh" ? Zsh : Bash));
        return command;
    }

    /// <summary>Completions for the partial command line <paramref name="line"/> (what follows <c>slipway</c>), one per line.</summary>
    public static int Complete(Command root, string line, TextWriter output)
    {
        var parse = root.Parse(line);
        // Shells complete by prefix (System.CommandLine also offers substring matches); help's /?, /h and -? are noise.
        var word = line[(line.LastIndexOf(' ') + 1)..];
        var items = parse.GetCompletions(line.Length).Select(c => c.Label)
            .Where(l => l.StartsWith(word, StringComparison.Ordinal) && !l.StartsWith('/') && l != "-?");
        foreach (var item in items.Distinct(StringComparer.Ordinal))
            output.WriteLine(item);
        return ExitCodes.Ok;
    }
}
