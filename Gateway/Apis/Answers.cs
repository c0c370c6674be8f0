using Microsoft.Net.Http.Headers;

namespace Beacon.Gateway.Apis;

/// <summary>How a grain's <see cref="ChangeResult"/> and the gateway's own refusals become HTTP answers, in the caller's language.</summary>
public static class Answers
{
    /// <summary>
    /// The answer to a change: 201 with <paramref name="location"/> (a URL) for a creation, 200, 204, or the refusal
    /// with the fields and reasons the grain gave; <paramref name="what"/> names the entity in a 404.
    /// </summary>
    public static IResult From(ChangeResult result, string location, Said what, object? body = null) => result.Outcome switch
    {
        ChangeOutcome.Created => TypedResults.Created(location, body ?? new { version = result.Version }),
        ChangeOutcome.Updated => TypedResults.Ok(body ?? new { version = result.Version }),
        ChangeOutcome.Deleted => TypedResults.NoContent(),
        ChangeOutcome.NotFound => NotFound(what),
        ChangeOutcome.Forbidden => Forbidden(result.Errors?.SelectMany(e => e.Value).FirstOrDefault() ?? new("无权进行此操作", "not allowed")),
        _ => Invalid(result.Errors ?? new Dictionary<string, Said[]>()),
    };

    public static IResult NotFound(Said what) => new Spoken(english => Results.Problem(statusCode: StatusCodes.Status404NotFound,
        title: english ? "Not found" : "不存在", detail: english ? $"{what.En} does not exist." : $"{what.Zh}不存在。"));

    /// <summary>Any other refusal as ProblemDetails, with its title and detail in the caller's language.</summary>
    public static IResult Problem(int status, Said title, Said detail) => new Spoken(english =>
        Results.Problem(statusCode: status, title: title.In(english), detail: detail.In(english)));

    public static IResult Forbidden(Said why) => new Spoken(english => Results.Problem(statusCode: StatusCodes.Status403Forbidden,
        title: english ? "Forbidden" : "无权访问", detail: why.In(english)));

    /// <summary>400 naming each field and why, as RFC 9457's validation problem.</summary>
    public static IResult Invalid(IReadOnlyDictionary<string, Said[]> errors, int status = StatusCodes.Status400BadRequest, Said? title = null) =>
        new Spoken(english => Results.ValidationProblem(
            errors.ToDictionary(e => e.Key, e => e.Value.Select(w => w.In(english)).ToArray()),
            statusCode: status,
            title: title?.In(english) ?? (english ? "One or more fields are invalid." : "有字段不符合要求。")));

    public static IResult Invalid(string field, Said why) => Invalid(new Dictionary<string, Said[]> { [field] = [why] });

    /// <summary>An answer of the framework's that has no body (401 without a token, 404 of an unknown path…), as ProblemDetails in the caller's language.</summary>
    public static Task Status(HttpContext http)
    {
        var status = http.Response.StatusCode;
        var english = English(http.Request);
        var (zh, en) = status switch
        {
            StatusCodes.Status401Unauthorized => ("需要有效的令牌（Authorization: Bearer …）", "a valid token is required (Authorization: Bearer …)"),
            StatusCodes.Status403Forbidden => ("无权访问", "forbidden"),
            StatusCodes.Status404NotFound => ("没有这个地址", "there is nothing at this address"),
            StatusCodes.Status405MethodNotAllowed => ("此地址不接受该方法", "this address does not take this method"),
            _ => ("请求未能完成", "the request could not be completed"),
        };
        return Results.Problem(statusCode: status, title: english ? en : zh).ExecuteAsync(http);
    }

    /// <summary>Whether the caller asked for English before Chinese (<c>Accept-Language</c>); Chinese otherwise.</summary>
    public static bool English(HttpRequest request)
    {
        var languages = request.GetTypedHeaders().AcceptLanguage;
        foreach (var language in languages.OrderByDescending(l => l.Quality ?? 1))
        {
            var tag = language.Value.Value ?? "";
            if (tag.StartsWith("en", StringComparison.OrdinalIgnoreCase)) return true;
            if (tag.StartsWith("zh", StringComparison.OrdinalIgnoreCase)) return false;
        }
        return false;
    }

    /// <summary>An answer whose words are chosen as it is sent, in the language the request asked for.</summary>
    private sealed class Spoken(Func<bool, IResult> answer) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.ContentLanguage = English(http.Request) ? "en" : "zh-CN";
            http.Response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptLanguage);
            return answer(English(http.Request)).ExecuteAsync(http);
        }
    }

    /// <summary>The answers every write may give besides its success, for the OpenAPI document.</summary>
    public static RouteHandlerBuilder ProducesWriteErrors(this RouteHandlerBuilder route) => route
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status429TooManyRequests);

    public static RouteHandlerBuilder ProducesReadErrors(this RouteHandlerBuilder route) => route
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status429TooManyRequests);
}
