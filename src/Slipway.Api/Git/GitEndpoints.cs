using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Api.Endpoints;
using Slipway.Api.Http;
using Slipway.Core.Platform;
using Slipway.Data.Apps;

namespace Slipway.Api.Git;

/// <summary>
/// <c>http://host:port/{app}.git</c>: clone and fetch through <c>git upload-pack</c>, deploy by pushing through <c>git receive-pack</c>
/// whose pre-receive hook calls back to <c>/git-hooks/{push}</c>. Authentication is HTTP Basic with the API token as password.
/// </summary>
internal static class GitEndpoints
{
    public const string HookPrefix = "/git-hooks/";

    public static void MapGit(this IEndpointRouteBuilder routes)
    {
        var services = routes.ServiceProvider;
        var repositories = new GitRepositories(services.GetRequiredService<DataDirectory>());
        var pushes = new GitPushes();
        var deploy = ActivatorUtilities.CreateInstance<GitDeploy>(services, pushes);

        routes.MapGet("/{app}.git/info/refs", async (HttpContext context, string app, AppRepository apps) =>
        {
            var service = context.Request.Query["service"].ToString();
            if (!GitService.IsService(service))
            {
                // The "dumb" protocol is not served: every git since 1.6.6 speaks smart HTTP.
                await ApiErrors.WriteAsync(context, 403, "forbidden", "Only smart HTTP git is served: upgrade git, then retry.");
                return;
            }

            var (found, _) = await context.OwnAppAsync(apps, app);
            var repository = await repositories.EnsureAsync(found.Id, context.RequestAborted);
            await GitService.AdvertiseAsync(context, repository, service);
        });

        routes.MapPost("/{app}.git/git-upload-pack", async (HttpContext context, string app, AppRepository apps) =>
        {
            var (found, _) = await context.OwnAppAsync(apps, app);
            var repository = await repositories.EnsureAsync(found.Id, context.RequestAborted);
            await GitService.RunAsync(context, repository, GitService.UploadPack);
        });

        routes.MapPost("/{app}.git/git-receive-pack", async (HttpContext context, string app, AppRepository apps) =>
        {
            var (found, account) = await context.OwnAppAsync(apps, app);
            var repository = await repositories.EnsureAsync(found.Id, context.RequestAborted);
            var push = pushes.Begin(found, account, repository);
            try
            {
                var hookUrl = $"http://127.0.0.1:{context.Connection.LocalPort}{HookPrefix}{push.Id}";
                await GitService.RunAsync(context, repository, GitService.ReceivePack, new Dictionary<string, string> { ["SLIPWAY_GIT_HOOK_URL"] = hookUrl });
            }
            finally
            {
                pushes.End(push);
            }
        });

        // Called by the pre-receive hook (no token: the push id is the secret). Streams the deploy, then the hook's exit code.
        routes.MapPost(HookPrefix + "{push}", async (HttpContext context, string push) =>
        {
            if (pushes.Find(push) is not { } found)
            {
                await ApiErrors.WriteAsync(context, 404, "not_found", "No push in progress with that id.");
                return;
            }

            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var updates = RefUpdate.Parse(await reader.ReadToEndAsync(context.RequestAborted));
            var objects = new GitObjectDirectories(
                context.Request.Headers["X-Git-Object-Directory"].ToString(), context.Request.Headers["X-Git-Alternate-Object-Directories"].ToString());
            context.Response.ContentType = "text/plain; charset=utf-8";
            context.Response.Headers.CacheControl = "no-cache";
            async Task Say(string line)
            {
                await context.Response.WriteAsync(line + "\n", CancellationToken.None);
                await context.Response.Body.FlushAsync(CancellationToken.None);
            }

            int exit;
            if (!objects.AreInside(found.Repository))
            {
                await Say(" !     The push's object directories are outside its repository; refusing it.");
                exit = 1;
            }
            else
            {
                exit = await deploy.RunAsync(found, updates, objects, Say, CancellationToken.None);
            }

            await Say(DeployHook.ExitMarker + exit);
        });
    }

    public static bool IsGitPath(string path) =>
        path.EndsWith(".git/info/refs", StringComparison.Ordinal)
        || path.EndsWith(".git/" + GitService.UploadPack, StringComparison.Ordinal)
        || path.EndsWith(".git/" + GitService.ReceivePack, StringComparison.Ordinal);
}
