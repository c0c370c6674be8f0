using System.Text.RegularExpressions;
using Beacon.Gateway.Apis;
using Microsoft.AspNetCore.Diagnostics;

namespace Beacon.Gateway.Http;

/// <summary>
/// A request Kestrel or the route's binding could not read (a body over the limit, a body that stalled, a query value
/// of the wrong type) is the client's error: its own status (400, 408, 413) as ProblemDetails naming what was wrong,
/// in the caller's language, never a 500.
/// </summary>
internal sealed partial class BadRequests : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || context.Response.HasStarted) return false;
        var field = BoundParameter().Match(bad.Message) is { Success: true } m ? m.Groups["name"].Value : "body";
        var (title, why) = bad.StatusCode switch
        {
            StatusCodes.Status413PayloadTooLarge => (new Said("请求体过大", "Body too large"), Json.TooLarge),
            StatusCodes.Status408RequestTimeout => (new Said("请求超时", "Request timeout"), new Said("传输过慢，请重新发送", "arrived too slowly; send it again")),
            _ when field != "body" => (new Said("请求有误", "Bad request"), new Said("类型不符", "is not a value of the right type")),
            _ => (new Said("请求有误", "Bad request"), new Said("无法读取", bad.Message)),
        };
        await Answers.Invalid(new Dictionary<string, Said[]> { [field] = [why] }, bad.StatusCode, title).ExecuteAsync(context);
        return true;
    }

    // "Failed to bind parameter "int? limit" from "abc"."
    [GeneratedRegex("""parameter "(?:[^"]*\s)?(?<name>[A-Za-z_][A-Za-z0-9_]*)" from""")]
    private static partial Regex BoundParameter();
}
