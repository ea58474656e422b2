using System.CommandLine;

namespace Slipway.Cli.Commands;

internal static class HelpCommand
{
    public static Command Create(CliContext context, Command root)
    {
        var topic = new Argument<string[]>("topic") { Arity = ArgumentArity.ZeroOrMore, Description = "Command to describe, e.g. config:set" };
        var command = new Command("help", "Show help for slipway or one of its commands") { topic };
        command.SetAction(parse =>
        {
            var words = parse.GetValue(topic) ?? [];
            if (words.Length > 0 && !root.Subcommands.Any(c => c.Name == words[0]))
                throw new UsageException($"'{words[0]}' is not a slipway command. See 'slipway --help'.");
            return CommandTree.ShowHelp(context, root, words);
        });
        return command;
    }
}
