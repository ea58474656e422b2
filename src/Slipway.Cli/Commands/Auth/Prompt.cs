using System.Text;

namespace Slipway.Cli.Commands.Auth;

/// <summary>Asks for input on stderr; reads from the terminal (hidden for secrets) or from piped stdin.</summary>
internal static class Prompt
{
    public static string? Ask(CliContext context, string label, bool secret = false)
    {
        if (!context.Host.IsInputTerminal)
            return context.Host.In.ReadLine()?.Trim();
        context.Host.Error.Write(label);
        context.Host.Error.Flush();
        if (!secret)
            return context.Host.In.ReadLine()?.Trim();
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
                break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0) text.Length--;
                continue;
            }
            if (!char.IsControl(key.KeyChar))
                text.Append(key.KeyChar);
        }
        context.Host.Error.WriteLine();
        return text.ToString();
    }
}
