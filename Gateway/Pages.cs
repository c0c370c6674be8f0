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
