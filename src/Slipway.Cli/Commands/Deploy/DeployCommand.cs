using System.CommandLine;
using Slipway.Cli.Api;
using Slipway.Cli.Deploy;
using Slipway.Cli.Output;

namespace Slipway.Cli.Commands.Deploy;

internal static class DeployCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(300);

    public static Command Create(CliContext context)
    {
        var directory = new Argument<string>("DIR") { Arity = ArgumentArity.ZeroOrOne, Description = "Source directory", DefaultValueFactory = _ => "." };
        var app = CommonOptions.App();
        var command = new Command("deploy", "Upload a directory's source (minus ignored files), build it and release it") { directory, app };
        command.SetAction(async (parse, ct) =>
        {
            var source = Path.GetFullPath(Path.Combine(context.WorkingDirectory, parse.GetValue(directory) ?? "."));
            if (!Directory.Exists(source))
                throw new UsageException($"{source} is not a directory.");
            var name = await context.ResolveAppAsync(parse.GetValue(app), ct);
            var ui = context.Ui;

            await using var archive = new FileStream(
                Path.Combine(Path.GetTempPath(), $"slipway-source-{Guid.NewGuid():N}.tar.gz"),
                FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            await ui.ActionAsync(
                $"Packing source from {source}",
                () => SourcePacker.PackAsync(source, archive, ui.Warn, ct),
                packed => $"{packed.Files} files, {ByteSize.Format(archive.Length)}");

            var blob = (await context.Api.SendAsync<SourceResource>(HttpMethod.Post, "sources", new { }, ct)).SourceBlob;
            if (blob?.PutUrl is null || blob.GetUrl is null)
                throw new CliException("The API did not return source_blob.put_url and get_url.");
            await ui.TransferAsync("Uploading source", archive.Length, progress => UploadAsync(context, blob.PutUrl, archive, progress, ct));

            var version = await context.Git.HeadShaAsync(source, ct);
            var build = await context.Ui.ActionAsync(
                $"Starting build on {CommonOptions.Hex(name)}",
                () => context.Api.SendAsync<BuildResource>(
                    HttpMethod.Post,
                    CommonOptions.AppPath(name, "/builds"),
                    new { source_blob = new { url = blob.GetUrl, version } },
                    ct));

            if (!string.IsNullOrEmpty(build.OutputStreamUrl))
                await BuildOutput.StreamAsync(context.Http, new Uri(context.ApiUrl, build.OutputStreamUrl), context.ApiUrl, ui, ct);

            build = await WaitForBuildAsync(context, name, build, ct);
            if (build.Status != "succeeded")
                throw new CliException($"Build failed ({build.Status}). See the build output above; fix the problem and run `slipway deploy` again.");
            var info = await context.Api.GetAsync<AppResource>(CommonOptions.AppPath(name), ct);
            ui.Line($"{info.WebUrl} deployed to Slipway");
        });
        return command;
    }

    private static async Task UploadAsync(CliContext context, string putUrl, Stream archive, IProgress<long> progress, CancellationToken ct)
    {
        // The put_url carries its own credential; the API token must not travel to the object store.
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(context.ApiUrl, putUrl))
        {
            Content = new ProgressContent(archive, progress),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/octet-stream");
        using var response = await PlatformClient.SendOrExplainAsync(context.Http, request, context.ApiUrl, ct);
        if (!response.IsSuccessStatusCode)
            throw PlatformClient.ToException(response.StatusCode, await response.Content.ReadAsStringAsync(ct));
    }

    private static async Task<BuildResource> WaitForBuildAsync(CliContext context, string app, BuildResource build, CancellationToken ct)
    {
        var path = CommonOptions.AppPath(app, $"/builds/{PlatformClient.Escape(build.Id)}");
        while (build.Status is null or "pending")
        {
            await Task.Delay(PollInterval, context.Time, ct);
            build = await context.Api.GetAsync<BuildResource>(path, ct);
        }
        return build;
    }
}
