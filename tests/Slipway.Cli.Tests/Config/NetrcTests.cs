using Slipway.Cli.Config;
using Slipway.Cli.Tests.Infrastructure;

namespace Slipway.Cli.Tests.Config;

public class NetrcTests
{
    private const string Existing =
        "# my machines\n" +
        "machine github.com\n  login octocat\n  password gh-token\n" +
        "machine localhost:5000 login old@example.com password old-token\n" +
        "machine api.heroku.com\n  login me@example.com\n  password hk-token\n";

    [Fact]
    public void Find_ReadsMultiLineAndSingleLineEntries()
    {
        var netrc = Netrc.Parse(Existing);
        Assert.Equal("gh-token", netrc.Find("github.com")!.Password);
        Assert.Equal("old@example.com", netrc.Find("localhost:5000")!.Login);
        Assert.Equal("old-token", netrc.Find("LOCALHOST:5000")!.Password);
        Assert.Null(netrc.Find("example.org"));
    }

    [Fact]
    public void Set_Existing_RewritesOnlyThatEntry()
    {
        var netrc = Netrc.Parse(Existing);
        netrc.Set("localhost:5000", "dev@example.com", "new-token");

        Assert.Equal(
            "# my machines\n" +
            "machine github.com\n  login octocat\n  password gh-token\n" +
            "machine localhost:5000\n  login dev@example.com\n  password new-token\n" +
            "machine api.heroku.com\n  login me@example.com\n  password hk-token\n",
            netrc.ToString());
    }

    [Fact]
    public void Set_New_AppendsAndKeepsDefaultLast()
    {
        var netrc = Netrc.Parse("machine a.example login x password y\ndefault login anonymous password guest\n");
        netrc.Set("localhost:5000", "dev@example.com", "t");

        Assert.Equal(
            "machine a.example login x password y\n" +
            "machine localhost:5000\n  login dev@example.com\n  password t\n" +
            "default login anonymous password guest\n",
            netrc.ToString());
    }

    [Fact]
    public void Set_OnFileWithoutTrailingNewline_StartsOnANewLine()
    {
        var netrc = Netrc.Parse("machine a login b password c");
        netrc.Set("h:1", "l", "p");
        Assert.Equal("machine a login b password c\nmachine h:1\n  login l\n  password p\n", netrc.ToString());
    }

    [Fact]
    public void Remove_KeepsOtherEntries()
    {
        var netrc = Netrc.Parse(Existing);
        Assert.True(netrc.Remove("localhost:5000"));
        Assert.False(netrc.Remove("localhost:5000"));
        Assert.Equal(
            "# my machines\n" +
            "machine github.com\n  login octocat\n  password gh-token\n" +
            "machine api.heroku.com\n  login me@example.com\n  password hk-token\n",
            netrc.ToString());
    }

    [Fact]
    public void Parse_SkipsMacroBodies()
    {
        var netrc = Netrc.Parse("machine a login b password c\nmacdef init\nmachine fake password nope\n\nmachine d login e password f\n");
        Assert.Null(netrc.Find("fake"));
        Assert.Equal("f", netrc.Find("d")!.Password);
    }

    [Fact]
    public void Save_WritesMode0600()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine(".netrc");
        var netrc = Netrc.Load(path);
        netrc.Set("localhost:5000", "dev@example.com", "t");
        netrc.Save(path);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal("t", Netrc.Load(path).Find("localhost:5000")!.Password);
    }
}
