using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.Router;

/// <summary>Users upload files through their apps: the router streams bodies of any size, never buffers them, never answers 413.</summary>
[Collection(ServerCollection.Name)]
public sealed class LargeUploadTests(SlipwayServer server) : EndToEndTest(server)
{
    private const long FiveGiB = 5L * 1024 * 1024 * 1024;

    [Fact]
    public async Task FiveGiBUpload_ReachesTheDynoWhole()
    {
        RequireSandbox();
        var app = await RouterTestSupport.DeployAsync(Server, "upload", ProbeApp.Create());
        using var client = new RouterClient(Server, TimeSpan.FromMinutes(30));
        await Server.GetAppAsync(app);

        using var content = new GeneratedContent(FiveGiB);
        using var response = await client.Http.PostAsync(client.AppUrl(app, "/count"), content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var counted = JsonDocument.Parse(body).RootElement;
        Assert.Equal(FiveGiB, counted.GetProperty("bytes").GetInt64());
        Assert.Equal(content.Sha256, counted.GetProperty("sha256").GetString());
    }

    /// <summary>Bytes made while sending (nothing held in memory beyond one block), hashed as they go.</summary>
    private sealed class GeneratedContent(long total) : HttpContent
    {
        private const int BlockSize = 1024 * 1024;

        public string? Sha256 { get; private set; }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var block = new byte[BlockSize];
            new Random(42).NextBytes(block);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            for (long sent = 0, index = 0; sent < total; index++)
            {
                BitConverter.TryWriteBytes(block, index); // every block differs, so a lost or repeated one changes the hash
                var size = (int)Math.Min(BlockSize, total - sent);
                hash.AppendData(block, 0, size);
                await stream.WriteAsync(block.AsMemory(0, size));
                sent += size;
            }

            Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        protected override bool TryComputeLength(out long length)
        {
            length = total;
            return true;
        }
    }
}
