using Slipway.Storage.Tests.Engine;

namespace Slipway.Storage.Tests;

/// <summary>xunit's console entry point, plus <c>--crash-writer</c>, <c>--inline-crash-writer</c> and <c>--crash-completer</c>: the child processes the crash tests kill mid-write.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == CrashWriter.Flag)
        {
            return CrashWriter.RunAsync(args[1..]).GetAwaiter().GetResult();
        }

        if (args.Length > 0 && args[0] == InlineCrashWriter.Flag)
        {
            return InlineCrashWriter.RunAsync(args[1..]).GetAwaiter().GetResult();
        }

        if (args.Length > 0 && args[0] == CrashCompleter.Flag)
        {
            return CrashCompleter.RunAsync(args[1..]).GetAwaiter().GetResult();
        }

        if (args.Any(a => a is "--server" or "--internal-msbuild-node"))
        {
            return Xunit.MicrosoftTestingPlatform.TestPlatformTestFramework.RunAsync(args, SelfRegisteredExtensions.AddSelfRegisteredExtensions).GetAwaiter().GetResult();
        }

        return Xunit.Runner.InProc.SystemConsole.ConsoleRunner.Run(args).GetAwaiter().GetResult();
    }
}
