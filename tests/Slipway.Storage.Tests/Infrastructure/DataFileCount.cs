namespace Slipway.Storage.Tests.Infrastructure;

/// <summary>Released data files are unlinked in the background, in batches: tests wait (generously) for the count they expect.</summary>
public static class DataFileCount
{
    public static async Task WaitForAsync(string dataDirectory, int expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        int count;
        while ((count = Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories).Count()) != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(expected, count);
    }
}
