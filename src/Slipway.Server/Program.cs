using Slipway.Server;

// Socket completions run on the event thread instead of hopping to the thread pool: the router does little work per
// completion, and on 2 cores the hop cost more (bench/router.py: +15-20 % requests/s). Read once, at the first socket.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

try
{
    var app = await SlipwayHost.BuildAsync(args);
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is ArgumentException or PlatformNotSupportedException or Slipway.Data.DataDirectoryInUseException)
{
    await Console.Error.WriteLineAsync($"slipwayd: {e.Message}");
    return 2;
}
