using System.Globalization;
using Slipway.Core.Accounts;
using Slipway.Core.Apps;
using Slipway.Core.Builds;
using Slipway.Core.Dynos;
using Slipway.Core.Releases;

namespace Slipway.Api.Http;

/// <summary>Domain objects in the Platform API v3 shapes (field names from Heroku's schema).</summary>
public static class Resources
{
    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string? Time(DateTimeOffset? value) => value is { } v ? Time(v) : null;

    public static object Account(Account account) => new
    {
        id = account.Id,
        email = account.Email,
        name = account.Name,
        verified = account.Verified,
        beta = false,
        allow_tracking = false,
        two_factor_authentication = false,
        federated = false,
        created_at = Time(account.CreatedAt),
        updated_at = Time(account.UpdatedAt),
        last_login = Time(account.LastLogin),
        suspended_at = (string?)null,
        delinquent_at = (string?)null,
        sms_number = (string?)null,
        default_team = (object?)null,
        default_organization = (object?)null,
        identity_provider = (object?)null,
        country_of_residence = (string?)null,
        admin = account.IsAdmin,
    };

    /// <summary>Heroku's app fields, plus a <c>slipway</c> object for what Slipway adds (clients that validate the schema ignore it).</summary>
    public static object App(App app, ApiOptions options, string state) => new
    {
        id = app.Id,
        name = app.Name,
        owner = new { id = app.OwnerId, email = app.OwnerEmail },
        region = new { id = StableId("region-us"), name = "us" },
        stack = Stack(options),
        build_stack = Stack(options),
        generation = new { id = StableId("generation-cedar"), name = "cedar" },
        git_url = options.GitUrl(app.Name),
        web_url = options.WebUrl(app.Name),
        maintenance = app.Maintenance,
        released_at = Time(app.ReleasedAt),
        repo_size = (long?)null,
        slug_size = app.SlugSize,
        space = (object?)null,
        team = (object?)null,
        organization = (object?)null,
        internal_routing = (bool?)null,
        acm = false,
        archived_at = (string?)null,
        buildpack_provided_description = app.BuildpackDescription,
        process_tier = app.ProcessTier,
        create_status = "complete",
        locked = false,
        created_at = Time(app.CreatedAt),
        updated_at = Time(app.UpdatedAt),
        slipway = new { state },
    };

    public static object Release(Release release, App app, int currentVersion) => new
    {
        id = release.Id,
        version = release.Version,
        description = release.Description,
        status = release.Status,
        current = release.Version == currentVersion,
        eligible_for_rollback = release.Status == ReleaseStatus.Succeeded,
        output_stream_url = (string?)null,
        addon_plan_names = Array.Empty<string>(),
        artifacts = Array.Empty<object>(),
        app = new { id = app.Id, name = app.Name },
        slug = release.SlugId is null ? null : new { id = release.SlugId },
        user = new { id = release.UserId, email = release.UserEmail },
        created_at = Time(release.CreatedAt),
        updated_at = Time(release.UpdatedAt),
    };

    public static object Formation(FormationEntry entry, App app)
    {
        var size = DynoSize.Find(entry.Size);
        return new
        {
            id = entry.Id,
            type = entry.Type,
            command = entry.Command,
            quantity = entry.Quantity,
            size = size?.DisplayName ?? entry.Size,
            dyno_size = new { id = StableId("size-" + entry.Size), name = size?.DisplayName ?? entry.Size },
            app = new { id = app.Id, name = app.Name },
            created_at = Time(entry.CreatedAt),
            updated_at = Time(entry.UpdatedAt),
        };
    }

    public static object Dyno(DynoRecord dyno, App app) => new
    {
        id = dyno.Id,
        name = dyno.Name,
        type = dyno.Type,
        command = dyno.Command,
        size = DynoSize.Find(dyno.Size)?.DisplayName ?? dyno.Size,
        state = dyno.State.ToApiName(),
        attach_url = (string?)null,
        release = new { id = dyno.ReleaseId, version = dyno.ReleaseVersion },
        app = new { id = app.Id, name = app.Name },
        created_at = Time(dyno.CreatedAt),
        updated_at = Time(dyno.UpdatedAt),
    };

    public static object Build(BuildRecord build, App app, string outputStreamUrl, ApiOptions options) => new
    {
        id = build.Id,
        status = build.Status,
        output_stream_url = outputStreamUrl,
        release = build.ReleaseId is null ? null : new { id = build.ReleaseId },
        slug = build.SlugId is null ? null : new { id = build.SlugId },
        stack = options.Stack,
        buildpacks = build.Buildpacks.Select(b => new { url = b, name = b }).ToArray(),
        source_blob = new { url = build.SourceUrl, version = build.SourceVersion, checksum = build.SourceChecksum, version_description = (string?)null },
        user = new { id = build.UserId, email = build.UserEmail },
        app = new { id = app.Id, name = app.Name },
        failure_message = build.Failure,
        generation = "cedar",
        created_at = Time(build.CreatedAt),
        updated_at = Time(build.UpdatedAt),
    };

    private static object Stack(ApiOptions options) => new { id = StableId("stack-" + options.Stack), name = options.Stack };

    /// <summary>Fixed catalogue entries (region, stack, sizes) need ids; derive stable uuids from their names.</summary>
    public static string StableId(string name)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }
}
