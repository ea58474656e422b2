using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Api.Auth;
using Slipway.Api.Http;
using Slipway.Build.Deploys;
using Slipway.Core.Errors;
using Slipway.Core.Platform;
using Slipway.Data.Apps;
using Slipway.Data.Builds;
using Slipway.Storage.Blobs;
using Slipway.Storage.Engine;

namespace Slipway.Api.Endpoints;

internal static class BuildEndpoints
{
    private static readonly TimeSpan SourceUrlLifetime = TimeSpan.FromHours(1);

    public static void MapBuilds(this IEndpointRouteBuilder routes)
    {
        // A place to upload a source archive: signed PUT and GET URLs on the object store.
        routes.MapPost("/sources", (HttpContext context, UrlSigner signer, ApiOptions options) =>
        {
            _ = Authentication.AccountOf(context);
            var key = Guid.NewGuid().ToString();
            return Results.Json(new
            {
                source_blob = new
                {
                    get_url = BlobEndpoints.UrlFor(options.StorageUrl, signer, "GET", PlatformBuckets.Sources, key, SourceUrlLifetime),
                    put_url = BlobEndpoints.UrlFor(options.StorageUrl, signer, "PUT", PlatformBuckets.Sources, key, SourceUrlLifetime),
                },
            }, statusCode: 201);
        });

        routes.MapPost("/apps/{app}/builds", async (HttpContext context, string app, AppRepository apps, BuildRunner runner, UrlSigner signer, ApiOptions options) =>
        {
            var (found, account) = await context.OwnAppAsync(apps, app);
            var body = await RequestBody.ReadAsync(context.Request);
            var blob = body.Object("source_blob") ?? throw PlatformException.Invalid("source_blob is required: {\"source_blob\": {\"url\": \"…\"}}.");
            var url = blob.String("url");
            if (string.IsNullOrEmpty(url) || !Uri.TryCreate(url, UriKind.Absolute, out _))
            {
                throw PlatformException.Invalid("source_blob.url must be an absolute URL of a tarball (from POST /sources).");
            }

            var buildpacks = body.TryGetProperty("buildpacks", out var list) && list.ValueKind == System.Text.Json.JsonValueKind.Array
                ? list.EnumerateArray().Select(b => b.String("name") ?? b.String("url")).OfType<string>().ToList()
                : [];
            var build = await runner.StartAsync(found, account, new SourceBlob(url, blob.String("version"), blob.String("checksum")), buildpacks, context.RequestAborted);
            return Results.Json(Resources.Build(build, found, OutputUrl(options, signer, build.Id), options), statusCode: 201);
        });

        routes.MapGet("/apps/{app}/builds", async (HttpContext context, string app, AppRepository apps, BuildRepository builds, UrlSigner signer, ApiOptions options) =>
        {
            var (found, _) = await context.OwnAppAsync(apps, app);
            var list = await builds.ListAsync(found.Id, context.RequestAborted);
            return Results.Json(list.Select(b => Resources.Build(b, found, OutputUrl(options, signer, b.Id), options)));
        });

        routes.MapGet("/apps/{app}/builds/{build}", async (HttpContext context, string app, string build, AppRepository apps, BuildRepository builds, UrlSigner signer, ApiOptions options) =>
        {
            var (found, _) = await context.OwnAppAsync(apps, app);
            var record = await builds.FindAsync(found.Id, build, context.RequestAborted) ?? throw PlatformException.NotFound("Couldn't find that build.");
            return Results.Json(Resources.Build(record, found, OutputUrl(options, signer, record.Id), options));
        });

        // The build's output as plain text, streamed live while it runs (no Authorization: the URL is signed).
        routes.MapGet("/streams/builds/{build}", async (HttpContext context, string build, BuildRunner runner, UrlSigner signer) =>
        {
            if (!signer.Verify(StreamResource(build), context.Request.Query["expires"], context.Request.Query["signature"]))
            {
                await ApiErrors.WriteAsync(context, 403, "forbidden", "This output stream URL has expired or is invalid. Fetch the build again for a fresh URL.");
                return;
            }

            context.Response.ContentType = "text/plain; charset=utf-8";
            context.Response.Headers.CacheControl = "no-cache";
            if (runner.Output(build) is { } live)
            {
                await foreach (var line in live.FollowAsync(context.RequestAborted))
                {
                    await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }

                return;
            }

            var stored = await runner.StoredOutputAsync(build, context.RequestAborted);
            if (stored is null)
            {
                context.Response.StatusCode = 404;
                await context.Response.WriteAsync("No output for this build.\n");
                return;
            }

            await context.Response.WriteAsync(stored, context.RequestAborted);
        });
    }

    private static string StreamResource(string buildId) => $"build-output {buildId}";

    private static string OutputUrl(ApiOptions options, UrlSigner signer, string buildId) =>
        $"{options.ApiUrl.TrimEnd('/')}/streams/builds/{buildId}?{signer.Sign(StreamResource(buildId), TimeSpan.FromDays(1))}";
}
