using System.Text.Json;
using Slipway.Cli.Commands;

namespace Slipway.Cli.Storage;

/// <summary>
/// The credentials and endpoint the storage commands sign with: an app's storage add-on (its config vars, read through
/// the Platform API), or an account key from <c>storage:keys:create</c> in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
/// </summary>
internal sealed record StorageAccess(string AccessKeyId, string SecretAccessKey, Uri Endpoint, string Region, string? AppBucket)
{
    private const string DefaultRegion = "us-east-1";

    public static async Task<StorageAccess> ResolveAsync(CliContext context, string? app, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(app) && context.Env("AWS_ACCESS_KEY_ID") is { Length: > 0 } id)
            return await FromAccountKeyAsync(context, id.Trim(), ct);

        string name;
        try
        {
            name = await context.ResolveAppAsync(app, ct);
        }
        catch (UsageException e)
        {
            throw new UsageException($"{e.Message} Or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to a key from `slipway storage:keys:create`.");
        }

        var vars = await context.Api.GetAsync(CommonOptions.AppPath(name, "/config-vars"), ct);
        string? Var(string key) => vars.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (Var("AWS_ACCESS_KEY_ID") is not { } keyId || Var("AWS_SECRET_ACCESS_KEY") is not { } secret
            || (Var("AWS_ENDPOINT_URL_S3") ?? Var("AWS_ENDPOINT_URL")) is not { } endpoint)
        {
            throw new CliException($"{name} has no storage add-on. Add one with `slipway addons:create storage -a {name}`.");
        }

        return new StorageAccess(keyId, secret, ParseEndpoint(endpoint), Var("AWS_REGION") ?? DefaultRegion, Var("S3_BUCKET"));
    }

    private static async Task<StorageAccess> FromAccountKeyAsync(CliContext context, string id, CancellationToken ct)
    {
        var secret = context.Env("AWS_SECRET_ACCESS_KEY");
        if (string.IsNullOrWhiteSpace(secret))
            throw new UsageException($"AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not. Set it to the secret `slipway storage:keys:create` printed with {id}.");
        var endpoint = context.Env("AWS_ENDPOINT_URL_S3") ?? context.Env("AWS_ENDPOINT_URL");
        var region = context.Env("AWS_REGION");
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            // The Platform API knows where its store is; the key must be one of ours anyway.
            var keys = await context.Api.GetAsync("storage/keys", ct);
            var key = keys.EnumerateArray().FirstOrDefault(k => k.GetProperty("access_key_id").GetString() == id);
            if (key.ValueKind != JsonValueKind.Object)
                throw new CliException($"AWS_ACCESS_KEY_ID {id} is not one of your storage keys (see `slipway storage:keys`). Set AWS_ENDPOINT_URL_S3 to use another store.");
            endpoint = key.GetProperty("endpoint").GetString()!;
            region ??= key.GetProperty("region").GetString();
        }

        return new StorageAccess(id, secret.Trim(), ParseEndpoint(endpoint), string.IsNullOrWhiteSpace(region) ? DefaultRegion : region, null);
    }

    private static Uri ParseEndpoint(string text) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == "http" || uri.Scheme == "https")
            ? uri
            : throw new CliException($"The object store endpoint '{text}' is not an http(s) URL. Check AWS_ENDPOINT_URL_S3.");
}
