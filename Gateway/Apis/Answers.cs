namespace Beacon.Gateway.Apis;

/// <summary>How a grain's <see cref="ChangeResult"/> becomes an HTTP answer.</summary>
public static class Answers
{
    public static IResult From(ChangeResult result, string location, object? body = null) => result.Outcome switch
    {
        ChangeOutcome.Created => Results.Created(location, body ?? new { version = result.Version }),
        ChangeOutcome.Updated => Results.Ok(body ?? new { version = result.Version }),
        ChangeOutcome.Deleted => Results.NoContent(),
        ChangeOutcome.NotFound => NotFound(location),
        ChangeOutcome.Forbidden => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
            detail: string.Join("; ", result.Errors?.SelectMany(e => e.Value) ?? [])),
        _ => Results.ValidationProblem(result.Errors ?? new Dictionary<string, string[]>()),
    };

    public static IResult NotFound(string what) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"{what} does not exist.");

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
