using Slipway.Build.Buildpacks;

namespace Slipway.Build.Tests.Buildpacks;

public sealed class BuildpackReleaseTests
{
    [Fact]
    public void Parse_DefaultProcessTypes_InOrder()
    {
        var release = BuildpackRelease.Parse("""
            ---
            addons:
              - heroku-postgresql
            config_vars:
              LANG: en_US.UTF-8
            default_process_types:
              web: bundle exec rails server -p $PORT
              worker: "bundle exec sidekiq # not a comment"
              console: 'irb ''-r'' app'   # a comment
            """);

        Assert.Equal(["web", "worker", "console"], release.DefaultProcessTypes.Select(t => t.Key));
        Assert.Equal("bundle exec rails server -p $PORT", release.DefaultProcessTypes[0].Value);
        Assert.Equal("bundle exec sidekiq # not a comment", release.DefaultProcessTypes[1].Value);
        Assert.Equal("irb '-r' app", release.DefaultProcessTypes[2].Value);
        Assert.Equal(["heroku-postgresql"], release.Addons);
        Assert.Equal("en_US.UTF-8", Assert.Single(release.ConfigVars).Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("--- {}")]
    [InlineData("---\n")]
    [InlineData("---\ndefault_process_types: {}\naddons: []\n")]
    [InlineData("---\ndefault_process_types:\n")]
    public void Parse_EmptyForms_HaveNoProcessTypes(string yaml)
    {
        Assert.Empty(BuildpackRelease.Parse(yaml).DefaultProcessTypes);
    }

    [Fact]
    public void Parse_CommandWithColons_KeepsThemInTheValue()
    {
        var release = BuildpackRelease.Parse("default_process_types:\n  web: node -e \"console.log('a:b')\" http://x:1\n");

        Assert.Equal("node -e \"console.log('a:b')\" http://x:1", Assert.Single(release.DefaultProcessTypes).Value);
    }

    [Theory]
    [InlineData("default_process_types: web")]
    [InlineData("  web: orphan")]
    [InlineData("default_process_types:\n  just text")]
    public void Parse_OutsideTheSubset_Throws(string yaml)
    {
        Assert.Throws<FormatException>(() => BuildpackRelease.Parse(yaml));
    }
}
