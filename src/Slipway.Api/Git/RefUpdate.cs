namespace Slipway.Api.Git;

/// <summary>One line of a pre-receive hook's input: <c>&lt;old-sha&gt; &lt;new-sha&gt; &lt;ref&gt;</c>.</summary>
public sealed record RefUpdate(string OldSha, string NewSha, string Ref)
{
    private const string ZeroSha = "0000000000000000000000000000000000000000";

    public bool IsDelete => NewSha.Trim('0').Length == 0;

    public string Branch => Ref.StartsWith("refs/heads/", StringComparison.Ordinal) ? Ref["refs/heads/".Length..] : Ref;

    /// <summary>Only <c>main</c> and <c>master</c> deploy, as on Heroku.</summary>
    public bool IsDeployBranch => Ref is "refs/heads/main" or "refs/heads/master";

    public static string Zero => ZeroSha;

    public static IReadOnlyList<RefUpdate> Parse(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', 3))
            .Where(parts => parts.Length == 3)
            .Select(parts => new RefUpdate(parts[0], parts[1], parts[2]))
            .ToList();
}
