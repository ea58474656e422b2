using System.Net;

namespace Slipway.Storage.S3;

/// <summary>S3's general-purpose bucket naming rules.</summary>
public static class BucketName
{
    public static bool IsValid(string name)
    {
        if (name.Length is < 3 or > 63 || !IsLetterOrDigit(name[0]) || !IsLetterOrDigit(name[^1]))
        {
            return false;
        }

        if (name.Any(c => !IsLetterOrDigit(c) && c is not ('-' or '.')) || name.Contains("..", StringComparison.Ordinal)
            || name.Contains(".-", StringComparison.Ordinal) || name.Contains("-.", StringComparison.Ordinal))
        {
            return false;
        }

        if (IPAddress.TryParse(name, out _) || name.StartsWith("xn--", StringComparison.Ordinal) || name.StartsWith("sthree-", StringComparison.Ordinal)
            || name.EndsWith("-s3alias", StringComparison.Ordinal) || name.EndsWith("--ol-s3", StringComparison.Ordinal))
        {
            return false;
        }

        return true;
    }

    private static bool IsLetterOrDigit(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');
}
