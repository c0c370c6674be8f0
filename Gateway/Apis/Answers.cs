namespace Beacon.Gateway.Apis;

/// <summary>How a grain's <see cref="ChangeResult"/> becomes an HTTP answer.</summary>
public static class Answers
{
    public static IResult From(ChangeResult result, string location, object? created = null) => result.Outcome switch
    {
        ChangeOutcome.Created => Results.Created(location, created ?? new { version = result.Version }),
        ChangeOutcome.Updated => Results.Ok(created ?? new { version = result.Version }),
        ChangeOutcome.Deleted => Results.NoContent(),
        ChangeOutcome.NotFound => NotFound(location),
        _ => Results.ValidationProblem(result.Errors ?? new Dictionary<string, string[]>()),
    };

    public static IResult NotFound(string what) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"{what} does not exist.");
}
