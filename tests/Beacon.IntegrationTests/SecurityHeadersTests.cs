using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Beacon.IntegrationTests.Infrastructure;

namespace Beacon.IntegrationTests;

/// <summary>
/// The headers that tell a browser how to treat what the gateway sends: on pages, static files, API answers (refusals
/// too), the hub and the health check alike. HSTS only over HTTPS, which a second gateway of the same cluster serves
/// with a certificate made here.
/// </summary>
[Collection(InMemoryClusterCollection.Name)]
public sealed class SecurityHeadersTests(InMemoryClusterFixture fixture)
{
    private const string Qingshui = InMemoryClusterFixture.Qingshui;

    private BeaconCluster Cluster => fixture.Cluster;

    /// <summary>What the gateway answers, each a different way: a page, default files, static files, the API, the hub, refusals.</summary>
    public static TheoryData<string, string, bool, HttpStatusCode> Answers => new()
    {
        { "GET", "/signin", false, HttpStatusCode.OK },
        { "GET", $"/screen/county/{Qingshui}", false, HttpStatusCode.OK },
        { "GET", $"/county/{Qingshui}", false, HttpStatusCode.OK },
        { "GET", "/province/620000", false, HttpStatusCode.OK },
        { "GET", "/", false, HttpStatusCode.OK },
        { "GET", "/css/beacon.css", false, HttpStatusCode.OK },
        { "GET", "/js/session.js", false, HttpStatusCode.OK },
        { "GET", "/lib/echarts.min.js", false, HttpStatusCode.OK },
        { "GET", "/favicon.ico", false, HttpStatusCode.NoContent },
        { "GET", $"/api/counties/{Qingshui}/summary", true, HttpStatusCode.OK },
        { "GET", $"/api/counties/{Qingshui}/summary", false, HttpStatusCode.Unauthorized },
        { "GET", "/api/counties/621122/summary", true, HttpStatusCode.Forbidden },
        { "POST", $"/api/counties/{Qingshui}/enterprises", true, HttpStatusCode.RequestEntityTooLarge },
        { "POST", "/hubs/live/negotiate?negotiateVersion=1", true, HttpStatusCode.OK },
        { "GET", "/health", false, HttpStatusCode.OK },
        { "GET", "/openapi/v1.json", false, HttpStatusCode.OK },
        // No such route: the fallback policy refuses it before anything could find it missing.
        { "GET", "/no/such/page", false, HttpStatusCode.Unauthorized },
    };

    private static HttpRequestMessage Request(string method, string path, bool withToken)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (withToken) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.CountyAdmin(Qingshui));
        // Over the 64 KB limit: refused (413) before any JSON is read.
        if (path.EndsWith("/enterprises", StringComparison.Ordinal))
            request.Content = new StringContent(new string(' ', 70 * 1024) + "{}", Encoding.UTF8, "application/json");
        return request;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;

    /// <summary>The policy's directives by name, each with its sources.</summary>
    private static Dictionary<string, string[]> Directives(string policy) =>
        policy.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(d => d[0], d => d[1..], StringComparer.OrdinalIgnoreCase);

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task Every_answer_carries_the_policy_and_the_browser_headers(string method, string path, bool withToken, HttpStatusCode status)
    {
        using var request = Request(method, path, withToken);
        using var response = await Cluster.Http.SendAsync(request);
        Assert.Equal(status, response.StatusCode);

        var policy = Header(response, "Content-Security-Policy");
        Assert.False(policy is null, $"{method} {path} answered without a Content-Security-Policy");
        var directives = Directives(policy);
        // Scripts only from the gateway's own files: no inline script, no event handler attributes, no eval.
        Assert.Equal(["'self'"], directives["script-src"]);
        Assert.Equal(["'self'"], directives["default-src"]);
        Assert.Equal(["'self'"], directives["connect-src"]);
        Assert.Equal(["'none'"], directives["object-src"]);
        Assert.Equal(["'none'"], directives["base-uri"]);
        Assert.Equal(["'none'"], directives["frame-ancestors"]);
        Assert.Equal(["'self'"], directives["style-src"]);
        Assert.DoesNotContain(directives.Values.SelectMany(v => v), s => s is "'unsafe-eval'" or "*" or "http:" or "https:");

        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        // Plain HTTP: a browser ignores HSTS there, and the framework does not send it.
        Assert.Null(Header(response, "Strict-Transport-Security"));
    }

    [Fact]
    public async Task Over_https_the_gateway_sends_hsts_and_the_same_headers()
    {
        var directory = Directory.CreateTempSubdirectory("beacon-tls-");
        var certificatePath = Path.Combine(directory.FullName, "gateway.pfx");
        const string Password = "beacon-test";
        using var certificate = SelfSigned();
        await File.WriteAllBytesAsync(certificatePath, certificate.Export(X509ContentType.Pfx, Password));

        var (httpPort, httpsPort) = (BeaconProcesses.FreePort(), BeaconProcesses.FreePort());
        // A second gateway of the fixture's cluster, as an operator would run one on HTTPS (Production: HSTS is on).
        await using var gateway = await BeaconProcesses.StartGatewayAsync(httpPort, Cluster.Ports, "memory", null, new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort};https://127.0.0.1:{httpsPort}",
            ["Kestrel__Certificates__Default__Path"] = certificatePath,
            ["Kestrel__Certificates__Default__Password"] = Password,
        });
        try
        {
            using var handler = new HttpClientHandler
            {
                // This test's own certificate, and only it.
                ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
            };
            using var https = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{httpsPort}") };
            foreach (var path in new[] { "/signin", "/js/session.js", $"/api/counties/{Qingshui}/summary" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                // HSTS is never sent for localhost or a bare loopback address (HstsOptions.ExcludedHosts): ask by a name.
                request.Headers.Host = "beacon.example";
                using var response = await https.SendAsync(request);
                Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized, $"{path}: {response.StatusCode}");
                var hsts = Header(response, "Strict-Transport-Security");
                Assert.False(hsts is null, $"GET {path} over HTTPS answered without Strict-Transport-Security");
                Assert.Matches(@"^max-age=\d{7,}", hsts);
                Assert.Contains("script-src 'self'", Header(response, "Content-Security-Policy"));
                Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
            }

            // The same gateway over plain HTTP sends none.
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
            using var plain = new HttpRequestMessage(HttpMethod.Get, "/signin");
            plain.Headers.Host = "beacon.example";
            using var answer = await http.SendAsync(plain);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Null(Header(answer, "Strict-Transport-Security"));
        }
        finally
        {
            await gateway.StopAsync();
            directory.Delete(recursive: true);
        }
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=beacon.example", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("beacon.example");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }
}
