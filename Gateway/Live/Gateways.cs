using Beacon.Hosting;

namespace Beacon.Gateway.Live;

/// <summary>
/// <c>Beacon:Live:Gateways</c>: the addresses (origins, e.g. <c>http://10.0.0.5:5080</c>) of every gateway of the
/// installation, this one among them. The pages' live connection moves along this list when its gateway is lost; the
/// hub takes their cross-origin connections and the pages' Content-Security-Policy lets them connect there.
/// </summary>
public sealed class Gateways
{
    public const string Setting = "Beacon:Live:Gateways";
    public const string CorsPolicy = "live-gateways";

    public string[] Origins { get; }

    private Gateways(string[] origins) => Origins = origins;

    /// <summary>The list, from a comma-separated value or an array section; each an absolute http(s) origin, or a <see cref="BeaconConfigurationException"/>.</summary>
    public static Gateways From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Setting);
        var values = section.Value is { } text ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : section.GetChildren().Select(c => c.Value ?? "").Where(v => v.Length > 0).ToArray();
        var origins = values.Select(v =>
            Uri.TryCreate(v, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/" && uri.Query.Length == 0
                ? uri.GetLeftPart(UriPartial.Authority)
                : throw new BeaconConfigurationException($"{Setting}: '{v}' is not a gateway's origin (http://host:port)")).Distinct().ToArray();
        return new Gateways(origins);
    }

    /// <summary>What <c>connect-src</c> adds for them: each origin and its WebSocket twin.</summary>
    public string ConnectSources => string.Concat(Origins.Select(o => $" {o} {(o.StartsWith("https:", StringComparison.Ordinal) ? "wss" : "ws")}:{o[(o.IndexOf(':') + 1)..]}"));
}
