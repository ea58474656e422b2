using Slipway.Server;

try
{
    var app = await SlipwayHost.BuildAsync(args);
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is ArgumentException or PlatformNotSupportedException)
{
    await Console.Error.WriteLineAsync($"slipwayd: {e.Message}");
    return 2;
}
