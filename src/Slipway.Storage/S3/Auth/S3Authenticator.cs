using System.Globalization;
using Slipway.Storage.Access;

namespace Slipway.Storage.S3.Auth;

/// <summary>
/// Verifies SigV4 (the <c>Authorization</c> header or a presigned query) and sets up the body the signature covers.
/// A request with neither is anonymous, which only public-read objects and CORS preflights accept.
/// </summary>
internal sealed class S3Authenticator(AccessKeyStore keys, TimeProvider time)
{
    private const long MaxPresignedSeconds = 604_800;

    private readonly SigningKeyCache _signingKeys = new();
    private readonly VerifiedUrlCache _verifiedUrls = new();

    public async Task AuthenticateAsync(S3Request request)
    {
        var authorization = request.Header("Authorization");
        if (!string.IsNullOrEmpty(authorization))
        {
            if (authorization.StartsWith(SigV4.Algorithm + " ", StringComparison.Ordinal))
            {
                await HeaderAsync(request, authorization);
                return;
            }

            throw UnsupportedMechanism();
        }

        if (request.Has("X-Amz-Algorithm") || request.Has("X-Amz-Signature") || request.Has("X-Amz-Credential"))
        {
            await PresignedAsync(request);
            return;
        }

        if (request.Has("AWSAccessKeyId") && request.Has("Signature"))
        {
            throw UnsupportedMechanism();
        }
    }

    private async Task HeaderAsync(S3Request request, string authorization)
    {
        var fields = authorization[(SigV4.Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
        if (!fields.TryGetValue("Credential", out var credential) || !fields.TryGetValue("SignedHeaders", out var signedHeaders) || !fields.TryGetValue("Signature", out var signature))
        {
            throw Malformed("the authorization header requires Credential, SignedHeaders and Signature.");
        }

        var amzDate = request.Header("x-amz-date");
        if (amzDate is null && request.Header("Date") is { } date && DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            amzDate = parsed.UtcDateTime.ToString(SigV4.DateFormat, CultureInfo.InvariantCulture);
        }

        if (!SigV4.TryParseAmzDate(amzDate, out var requestTime))
        {
            throw new S3Exception(403, "AccessDenied", "AWS authentication requires a valid Date or x-amz-date header");
        }

        var scope = ParseCredential(credential, amzDate!, header: true);
        var now = time.GetUtcNow();
        if ((now - requestTime).Duration() > SigV4.MaxClockSkew)
        {
            throw new S3Exception(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.",
                [new("RequestTime", amzDate!), new("ServerTime", now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)), new("MaxAllowedSkewMilliseconds", "900000")]);
        }

        var payloadHash = request.Header("x-amz-content-sha256")
            ?? throw S3Exception.InvalidRequest("Missing required header for this request: x-amz-content-sha256");
        var key = await FindKeyAsync(scope.AccessKeyId);
        var signingKey = _signingKeys.Get(key.Secret, scope.Scope);
        Check(signingKey, amzDate!, scope, request, SigV4.CanonicalHeaders(request.Http.Headers, signedHeaders), signedHeaders, payloadHash, signature);

        request.Caller = key.Key;
        SetBody(request, payloadHash, new ChunkSigning(signingKey, amzDate!, scope.Scope, signature, scope.AccessKeyId, payloadHash == SigV4.StreamingSignedTrailer));
    }

    private async Task PresignedAsync(S3Request request)
    {
        var query = request.Query;
        if (!query.TryGetValue("X-Amz-Algorithm", out var algorithm) || !query.TryGetValue("X-Amz-Credential", out var credential)
            || !query.TryGetValue("X-Amz-Signature", out var signature) || !query.TryGetValue("X-Amz-Date", out var amzDate)
            || !query.TryGetValue("X-Amz-SignedHeaders", out var signedHeaders) || !query.TryGetValue("X-Amz-Expires", out var expiresText))
        {
            throw QueryError("Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
        }

        var payloadHash = request.Header("x-amz-content-sha256") ?? SigV4.UnsignedPayload;
        var canonicalHeaders = SigV4.CanonicalHeaders(request.Http.Headers, signedHeaders);
        var signedInput = new SignedInput(request.Method, request.Target, canonicalHeaders, payloadHash);
        if (_verifiedUrls.TryGet(signature, signedInput, out var verified))
        {
            // Everything the URL says was checked when it was verified; time and the key's revocation are checked again.
            CheckWindow(verified.SignedAt, verified.ExpiresSeconds, expiresText);
            var known = await FindKeyAsync(verified.AccessKeyId);
            if (string.Equals(known.Secret, verified.Secret, StringComparison.Ordinal))
            {
                request.Caller = known.Key;
                SetBody(request, payloadHash, null);
                return;
            }
        }

        if (algorithm != SigV4.Algorithm)
        {
            throw QueryError("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
        }

        if (!SigV4.TryParseAmzDate(amzDate, out var signedAt))
        {
            throw QueryError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
        }

        if (!long.TryParse(expiresText, NumberStyles.None, CultureInfo.InvariantCulture, out var expires) || expires < 1)
        {
            throw QueryError("X-Amz-Expires should be a number");
        }

        if (expires > MaxPresignedSeconds)
        {
            throw QueryError("X-Amz-Expires must be less than a week (in seconds) that is; 604800");
        }

        var scope = ParseCredential(credential, amzDate, header: false);
        CheckWindow(signedAt, expires, expiresText);
        var key = await FindKeyAsync(scope.AccessKeyId);
        var signingKey = _signingKeys.Get(key.Secret, scope.Scope);
        Check(signingKey, amzDate, scope, request, canonicalHeaders, signedHeaders, payloadHash, signature);
        _verifiedUrls.Add(signature, signedInput, new VerifiedUrl(scope.AccessKeyId, key.Secret, signedAt, expires));

        request.Caller = key.Key;
        SetBody(request, payloadHash, null);
    }

    /// <summary>A presigned URL is valid from its signing time (give or take the allowed clock skew) until it expires.</summary>
    private void CheckWindow(DateTimeOffset signedAt, long expires, string expiresText)
    {
        var now = time.GetUtcNow();
        if (now > signedAt.AddSeconds(expires))
        {
            throw new S3Exception(403, "AccessDenied", "Request has expired", [
                new("X-Amz-Expires", expiresText),
                new("Expires", signedAt.AddSeconds(expires).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
                new("ServerTime", now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))]);
        }

        if (signedAt - now > SigV4.MaxClockSkew)
        {
            throw new S3Exception(403, "AccessDenied", "Request is not valid yet");
        }
    }

    private static void SetBody(S3Request request, string payloadHash, ChunkSigning? signing)
    {
        long? decodedLength = long.TryParse(request.Header("x-amz-decoded-content-length"), NumberStyles.None, CultureInfo.InvariantCulture, out var decoded) ? decoded : null;
        switch (payloadHash)
        {
            case SigV4.UnsignedPayload:
                return;
            case SigV4.StreamingSigned or SigV4.StreamingSignedTrailer when signing is not null:
                request.Chunked = new AwsChunkedStream(request.Http.Body, signing, decodedLength);
                request.Body = request.Chunked;
                return;
            case SigV4.StreamingUnsignedTrailer:
                request.Chunked = new AwsChunkedStream(request.Http.Body, null, decodedLength);
                request.Body = request.Chunked;
                return;
            case var hash when hash.Length == 64 && hash.All(Uri.IsHexDigit):
                request.Body = new Sha256CheckingStream(request.Http.Body, hash);
                return;
            case var other when other.StartsWith("STREAMING-", StringComparison.Ordinal):
                throw S3Exception.NotImplemented($"x-amz-content-sha256 {other} (SigV4a)");
            default:
                throw new S3Exception(400, "InvalidArgument",
                    "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.",
                    [new("ArgumentName", "x-amz-content-sha256"), new("ArgumentValue", payloadHash)]);
        }
    }

    private async ValueTask<AccessKeyWithSecret> FindKeyAsync(string accessKeyId) =>
        await keys.FindAsync(accessKeyId) ?? throw new S3Exception(403, "InvalidAccessKeyId",
            "The AWS Access Key Id you provided does not exist in our records.", [new("AWSAccessKeyId", accessKeyId)]);

    private static void Check(byte[] signingKey, string amzDate, CredentialScope scope, S3Request request, string canonicalHeaders, string signedHeaders, string payloadHash, string provided)
    {
        if (!SignatureCheck.Matches(signingKey, amzDate, scope.Scope, request.Method, request.CanonicalUri, request.Query.Pairs, canonicalHeaders, signedHeaders, payloadHash, provided,
            out var canonical, out var stringToSign))
        {
            throw new S3Exception(403, "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
                [new("AWSAccessKeyId", scope.AccessKeyId), new("StringToSign", stringToSign!), new("SignatureProvided", provided), new("CanonicalRequest", canonical!)]);
        }
    }

    /// <summary>
    /// <c>AKID/YYYYMMDD/REGION/s3/aws4_request</c>: the key id and the scope (the rest, as signed) are the only strings
    /// made, once per credential and thread; the parts are checked in place on every request.
    /// </summary>
    private static CredentialScope ParseCredential(string credential, string amzDate, bool header)
    {
        var slash = credential.IndexOf('/', StringComparison.Ordinal);
        var scope = slash < 0 ? default : credential.AsSpan(slash + 1);
        Span<Range> parts = stackalloc Range[5];
        if (slash < 0 || scope.Split(parts, '/') != 4 || !scope[parts[3]].SequenceEqual("aws4_request"))
        {
            throw header
                ? Malformed($"the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".")
                : QueryError("Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
        }

        var service = scope[parts[2]];
        if (!service.SequenceEqual("s3"))
        {
            // Requests meant for other AWS services (IAM, STS …) get a prompt answer naming the mistake.
            throw header
                ? Malformed($"incorrect service \"{service}\". This endpoint belongs to \"s3\"; it serves only the S3 API.")
                : QueryError($"Error parsing the X-Amz-Credential parameter; incorrect service \"{service}\". This endpoint belongs to \"s3\".");
        }

        var date = scope[parts[0]];
        if (!date.SequenceEqual(amzDate.AsSpan(0, 8)))
        {
            throw header
                ? Malformed($"Invalid credential date \"{date}\". This date is not the same as X-Amz-Date: \"{amzDate[..8]}\".")
                : QueryError($"Invalid credential date \"{date}\". This date is not the same as X-Amz-Date: \"{amzDate[..8]}\".");
        }

        // A client signs with one credential all day: the thread's last one answers with the same two strings.
        if (t_credential is { } last && string.Equals(last.Credential, credential, StringComparison.Ordinal))
        {
            return last.Scope;
        }

        var parsed = new CredentialScope(credential[..slash], credential[(slash + 1)..]);
        t_credential = (credential, parsed);
        return parsed;
    }

    [ThreadStatic]
    private static (string Credential, CredentialScope Scope)? t_credential;

    private static S3Exception Malformed(string why) =>
        new(400, "AuthorizationHeaderMalformed", "The authorization header is malformed; " + why);

    private static S3Exception QueryError(string message) => new(400, "AuthorizationQueryParametersError", message);

    private static S3Exception UnsupportedMechanism() =>
        S3Exception.InvalidRequest("The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.");

    /// <summary>Whose key, and the scope it signed for (<c>YYYYMMDD/REGION/s3/aws4_request</c>).</summary>
    private readonly record struct CredentialScope(string AccessKeyId, string Scope);
}
