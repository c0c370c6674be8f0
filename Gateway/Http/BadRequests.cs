using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace Beacon.Gateway.Http;

/// <summary>
/// A request Kestrel or the route's binding could not read (a body over the limit, a body that stalled, a query value
/// of the wrong type) is the client's error: its own status (400, 408, 413) as ProblemDetails naming what was wrong,
/// never a 500.
/// </summary>
internal sealed partial class BadRequests(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || context.Response.HasStarted) return false;
        var field = BoundParameter().Match(bad.Message) is { Success: true } m ? m.Groups["name"].Value : "body";
        var why = bad.StatusCode switch
        {
            StatusCodes.Status413PayloadTooLarge => $"must be at most {GatewayExtensions.MaxBodyBytes / 1024} KB",
            StatusCodes.Status408RequestTimeout => "arrived too slowly; send it again",
            _ when field != "body" => "is not a value of the right type",
            _ => bad.Message,
        };
        context.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails =
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode switch { 413 => "Body too large", 408 => "Request timeout", _ => "Bad request" },
                Detail = $"{field}: {why}",
                Extensions = { ["errors"] = new Dictionary<string, string[]> { [field] = [why] } },
            },
        });
    }

    // "Failed to bind parameter "int? limit" from "abc"."
    [GeneratedRegex("""parameter "(?:[^"]*\s)?(?<name>[A-Za-z_][A-Za-z0-9_]*)" from""")]
    private static partial Regex BoundParameter();
}
