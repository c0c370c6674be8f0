namespace Beacon.Gateway.Http;

/// <summary>
/// What every answer tells the browser about itself: pages, static files, API answers, refusals and the hub alike, so
/// that no route can be forgotten. HSTS comes from the framework's middleware, outside Development and on HTTPS
/// requests only (a browser ignores it over HTTP; nor is it sent for localhost or a loopback address).
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Scripts only from the gateway's own files: no inline script, no event handler attributes, no eval (the pages
    /// are ES modules under /js, ECharts and SignalR are their min builds under /lib, neither evaluates strings).
    /// connect-src 'self' covers the API and the hub, its same-origin ws:/wss: included in browsers that follow CSP
    /// Level 3 there (Chromium: the browser tests' screens come live over the WebSocket). Styles only from the sheets under /css: no style element and no style attribute written in markup.
    /// What scripts set through the DOM (element.style, as ECharts, its tooltip and the screen's scaling do) is not
    /// subject to the policy, so nothing needs 'unsafe-inline'; a style written in markup could be injected CSS.
    /// data: images for the pages' empty icon (href="data:,"). No framing at all: nothing embeds Beacon, so no one
    /// can dress it up to take clicks.
    /// </summary>
    /// <summary>The policy, with the installation's other gateways (<see cref="Live.Gateways"/>) among the places pages connect to.</summary>
    public static string ContentSecurityPolicy(Live.Gateways gateways) =>
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'" + gateways.ConnectSources + "; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The pages and the API read nothing from a Referer, and a wall screen's address carries its token until its
    /// script takes it out (js/session.js): what the browser fetches before that must not send the address along.
    /// no-referrer rather than strict-origin: Beacon has no use for even the origin.
    /// </summary>
    /// <summary>
    /// The Orleans dashboard's pages (Orleans' own, for platform administrators only) carry an inline style attribute and
    /// a font as a data: URL; their scripts still come only from the gateway.
    /// </summary>
    public const string DashboardPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public const string ReferrerPolicy = "no-referrer";

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        var policy = ContentSecurityPolicy(app.Services.GetRequiredService<Live.Gateways>());
        app.Use((context, next) =>
        {
            // When the answer starts, so that an exception handler that clears the response does not take them off.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments(Security.Operators.DashboardPath) ? DashboardPolicy : policy;
                // For browsers that predate frame-ancestors.
                headers.XFrameOptions = "DENY";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = ReferrerPolicy;
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
