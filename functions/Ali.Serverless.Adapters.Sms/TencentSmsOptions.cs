namespace Ali.Serverless.Adapters.Sms;

/// <summary>
/// Where and as whom the gateway sends. A class with its own <see cref="ToString"/>, not a record:
/// a record would print the secret key wherever the options are logged.
/// </summary>
public sealed class TencentSmsOptions
{
    public const string DefaultEndpoint = "https://sms.tencentcloudapi.com";
    public const string DefaultRegion = "ap-guangzhou";

    public TencentSmsOptions(Uri endpoint, string region, string sdkAppId, string signName, string secretId, string secretKey)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"The SMS endpoint is an absolute http(s) URL, not '{endpoint}'.", nameof(endpoint));
        }
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        ArgumentException.ThrowIfNullOrWhiteSpace(sdkAppId);
        ArgumentException.ThrowIfNullOrWhiteSpace(signName);
        Endpoint = endpoint;
        Region = region;
        SdkAppId = sdkAppId;
        SignName = signName;
        Signer = new Tc3Signer(secretId, secretKey);
    }

    /// <summary>Base URL; the API lives at its root. Its authority is the signed Host header.</summary>
    public Uri Endpoint { get; }

    public string Region { get; }

    /// <summary>The SMS application (SmsSdkAppId) the console assigned.</summary>
    public string SdkAppId { get; }

    /// <summary>The approved signature (签名) shown in 【】 before every message.</summary>
    public string SignName { get; }

    /// <summary>Holds the credentials; they are reachable from nowhere else.</summary>
    public Tc3Signer Signer { get; }

    public override string ToString() => $"Tencent SMS at {Endpoint} ({Region}), app {SdkAppId}";
}
