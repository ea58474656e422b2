using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Slipway.Api.Tests.Schema;

/// <summary>
/// Checks JSON against a resource of Heroku's Platform API schema (interagent hyper-schema, draft 4 style): every property the
/// resource declares must be present with a type the schema allows (following <c>$ref</c>, enums, formats, patterns, nested
/// objects and array items). Extra fields are fine. Nested objects need their <c>required</c> or, when strict, all their properties.
/// </summary>
public sealed class HerokuSchema
{
    /// <summary>
    /// Patterns that pin Heroku's own hosts (<c>git.heroku.com</c>, <c>*.herokuapp.com</c>): a self-hosted platform has its own,
    /// so only the type and format of these fields are checked.
    /// </summary>
    private static readonly HashSet<string> HostPinnedPatterns = ["app.git_url", "app.web_url"];

    private readonly JsonElement _root;

    private HerokuSchema(JsonElement root) => _root = root;

    public static HerokuSchema Load()
    {
        var path = Environment.GetEnvironmentVariable("SLIPWAY_HEROKU_SCHEMA") is { Length: > 0 } configured ? configured : FindSchema();
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return new HerokuSchema(document.RootElement.Clone());
    }

    /// <summary>Errors of <paramref name="value"/> as an instance of <c>definitions.{resource}</c>; empty when it conforms.</summary>
    public IReadOnlyList<string> Validate(string resource, JsonElement value)
    {
        var definition = _root.GetProperty("definitions").GetProperty(resource);
        var errors = new List<string>();
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{resource}: expected an object, got {value.ValueKind}");
            return errors;
        }

        foreach (var property in definition.GetProperty("properties").EnumerateObject())
        {
            if (!value.TryGetProperty(property.Name, out var field))
            {
                errors.Add($"{resource}.{property.Name}: missing");
                continue;
            }

            Check(property.Value, field, $"{resource}.{property.Name}", errors);
        }

        RequireDeclared(definition, value, resource, errors);
        return errors;
    }

    private void Check(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        schema = Resolve(schema);
        if (schema.TryGetProperty("anyOf", out var anyOf) || schema.TryGetProperty("oneOf", out anyOf))
        {
            var options = anyOf.EnumerateArray().Select(option =>
            {
                var optionErrors = new List<string>();
                Check(option, value, path, optionErrors);
                return optionErrors;
            }).ToList();
            if (options.All(o => o.Count > 0))
            {
                errors.Add($"{path}: matches none of its alternatives ({string.Join("; ", options.SelectMany(o => o).Take(3))})");
            }

            return;
        }

        if (schema.TryGetProperty("type", out var type))
        {
            var allowed = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList() : [type.GetString()!];
            var actual = TypeOf(value);
            if (!allowed.Contains(actual) && !(actual == "integer" && allowed.Contains("number")))
            {
                errors.Add($"{path}: expected {string.Join("|", allowed)}, got {actual} ({Short(value)})");
                return;
            }
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (schema.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => JsonElement.DeepEquals(v, value)))
        {
            errors.Add($"{path}: {Short(value)} is not one of {values.GetRawText()}");
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!;
            if (schema.TryGetProperty("format", out var format))
            {
                var ok = format.GetString() switch
                {
                    "uuid" => Guid.TryParse(text, out _),
                    "date-time" => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _) && text.Contains('T', StringComparison.Ordinal),
                    "email" => text.Contains('@', StringComparison.Ordinal),
                    // The schema marks domain.hostname as a uri, yet Heroku returns bare host names there.
                    "uri" => Uri.TryCreate(text, UriKind.Absolute, out _) || Uri.CheckHostName(text) == UriHostNameType.Dns,
                    _ => true,
                };
                if (!ok)
                {
                    errors.Add($"{path}: \"{text}\" is not a {format.GetString()}");
                }
            }

            if (schema.TryGetProperty("pattern", out var pattern) && !HostPinnedPatterns.Contains(path) && !Regex.IsMatch(text, pattern.GetString()!, RegexOptions.None, TimeSpan.FromSeconds(1)))
            {
                errors.Add($"{path}: \"{text}\" does not match {pattern.GetString()}");
            }
        }

        if (value.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out var properties))
        {
            foreach (var property in properties.EnumerateObject())
            {
                if (value.TryGetProperty(property.Name, out var field))
                {
                    Check(property.Value, field, $"{path}.{property.Name}", errors);
                }
            }

            RequireDeclared(schema, value, path, errors);
        }

        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                Check(items, item, $"{path}[{index++}]", errors);
            }
        }
    }

    private static void RequireDeclared(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        var required = schema.TryGetProperty("required", out var list) ? list.EnumerateArray().Select(r => r.GetString()!).ToList() : [];
        if (schema.TryGetProperty("strictProperties", out var strict) && strict.ValueKind == JsonValueKind.True && schema.TryGetProperty("properties", out var properties))
        {
            required.AddRange(properties.EnumerateObject().Select(p => p.Name));
        }

        foreach (var name in required.Distinct().Where(name => !value.TryGetProperty(name, out _)))
        {
            errors.Add($"{path}.{name}: missing (required)");
        }
    }

    private JsonElement Resolve(JsonElement schema)
    {
        for (var depth = 0; depth < 20 && schema.TryGetProperty("$ref", out var reference); depth++)
        {
            var target = _root;
            foreach (var segment in reference.GetString()!.TrimStart('#', '/').Split('/'))
            {
                target = target.GetProperty(Uri.UnescapeDataString(segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)));
            }

            schema = target;
        }

        return schema;
    }

    private static string TypeOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => value.TryGetInt64(out _) ? "integer" : "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    private static string Short(JsonElement value)
    {
        var raw = value.GetRawText();
        return raw.Length > 60 ? raw[..60] + "…" : raw;
    }

    private static string FindSchema()
    {
        var starts = new[] { Environment.GetEnvironmentVariable("SLIPWAY_REPO_ROOT"), AppContext.BaseDirectory, Directory.GetCurrentDirectory() };
        foreach (var directory in starts.Where(s => !string.IsNullOrEmpty(s)).SelectMany(s => Ancestors(new DirectoryInfo(s!))))
        {
            foreach (var candidate in new[] { Path.Combine(directory.FullName, "shared", "reference", "heroku-platform-api-schema.json"),
                Path.Combine(directory.FullName, "..", "shared", "reference", "heroku-platform-api-schema.json") })
            {
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new InvalidOperationException("Cannot find shared/reference/heroku-platform-api-schema.json; set SLIPWAY_HEROKU_SCHEMA.");
    }

    private static IEnumerable<DirectoryInfo> Ancestors(DirectoryInfo? directory)
    {
        for (; directory is not null; directory = directory.Parent)
        {
            yield return directory;
        }
    }
}
