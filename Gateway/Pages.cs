using Beacon.Gateway.Http;

namespace Beacon.Gateway;

/// <summary>
/// The pages: static files that fetch their data with the visitor's token, so the pages themselves are public and
/// every figure still goes through the API's scope checks.
/// </summary>
public static class Pages
{
    public static WebApplication MapPages(this WebApplication app)
    {
        Page(app, "/signin", "signin.html");
        Page(app, "/screen/county/{code}", "screen.html", Places.IsCountyCode);
        Page(app, "/screen/province/{code}", "screen.html", Places.IsProvinceCode);
        Page(app, "/screen/prefecture/{code}", "screen.html", Places.IsPrefectureCode);
        Page(app, "/province/{code}", "province.html", Places.IsProvinceCode);
        Page(app, "/prefecture/{code}", "province.html", Places.IsPrefectureCode);
        Page(app, "/county/{code}", "county.html", Places.IsCountyCode);
        // Browsers ask for it on every page; without this the fallback policy would answer 401.
        app.MapGet("/favicon.ico", () => Results.NoContent()).AllowAnonymous().RequireRateLimiting(RateLimits.AnonymousPolicy).ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// What a browser gets for a page address that has no page (<c>/county/abc</c>, <c>/nosuch</c>): a page saying so,
    /// with the way back, rather than the API's ProblemDetails or a sign-in challenge. A browser is a GET for HTML off the
    /// API and the hub; everyone else gets <see cref="Apis.Answers.Status"/>.
    /// </summary>
    public static bool IsNotFoundPage(HttpContext context) =>
        context.Response.StatusCode is StatusCodes.Status404NotFound or StatusCodes.Status401Unauthorized
        && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        && !context.Request.Path.StartsWithSegments("/api") && !context.Request.Path.StartsWithSegments(Live.LiveHub.Path)
        // A 401 is the fallback policy's answer to an address no endpoint has; a page's own 401 does not exist.
        && (context.Response.StatusCode == StatusCodes.Status404NotFound || context.GetEndpoint() is null)
        && context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    public static Task NotFoundAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.Headers.WWWAuthenticate = default;
        context.Response.Headers.CacheControl = "no-cache";
        var env = context.RequestServices.GetRequiredService<IWebHostEnvironment>();
        return Results.File(env.WebRootFileProvider.GetFileInfo(NotFoundFile).PhysicalPath!, "text/html; charset=utf-8").ExecuteAsync(context);
    }

    private const string NotFoundFile = "not-found.html";

    private static void Page(WebApplication app, string route, string file, Func<string?, bool>? codeIsValid = null) =>
        app.MapGet(route, (HttpContext context, IWebHostEnvironment env) =>
        {
            if (codeIsValid is not null && !codeIsValid(context.GetRouteValue("code") as string))
                return Results.NotFound();
            // Pages change with each release, so browsers must ask again rather than show a stale one.
            context.Response.Headers.CacheControl = "no-cache";
            return Results.File(env.WebRootFileProvider.GetFileInfo(file).PhysicalPath!, "text/html; charset=utf-8");
        }).AllowAnonymous().RequireRateLimiting(RateLimits.AnonymousPolicy).ExcludeFromDescription();
}
