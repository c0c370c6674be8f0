namespace Beacon.Gateway.Apis;

/// <summary>Reads a list's query string into a <see cref="RegisterQuery"/>, naming the parameter that is wrong.</summary>
public static class Listing
{
    public const int DefaultLimit = 50;

    public static (RegisterQuery? Query, IResult? Problem) Read(HttpRequest request, EntityKind kind)
    {
        var q = request.Query;
        var errors = new Dictionary<string, string[]>();
        string? Text(string name)
        {
            var value = q[name].ToString();
            if (value.Length == 0) return null;
            if (value.Length > 100 || value.Any(char.IsControl)) errors[name] = ["must be at most 100 characters without control characters"];
            return value;
        }
        int Number(string name, int fallback, int min, int max)
        {
            if (Text(name) is not { } value) return fallback;
            if (!int.TryParse(value, out var n) || n < min || n > max) { errors[name] = [$"must be a whole number from {min} to {max}"]; return fallback; }
            return n;
        }
        TEnum? Choice<TEnum>(string name) where TEnum : struct, Enum
        {
            if (Text(name) is not { } value) return null;
            // One name, exactly (any case): Enum.TryParse would also take "none,standalone" and numbers.
            if (Enum.GetNames<TEnum>().FirstOrDefault(n => string.Equals(n, value, StringComparison.OrdinalIgnoreCase)) is { } exact)
                return Enum.Parse<TEnum>(exact);
            errors[name] = [$"must be one of {string.Join(", ", Enum.GetNames<TEnum>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]))}"];
            return null;
        }
        bool? Flag(string name)
        {
            if (Text(name) is not { } value) return null;
            if (bool.TryParse(value, out var b)) return b;
            errors[name] = ["must be true or false"];
            return null;
        }

        var sort = Text("sort") switch
        {
            null or "name" => SortOrder.Name,
            "-name" => SortOrder.NameDescending,
            "id" => SortOrder.Id,
            "-id" => SortOrder.IdDescending,
            _ => (SortOrder?)null,
        };
        if (sort is null) errors["sort"] = ["must be name, -name, id or -id"];
        var query = new RegisterQuery(kind,
            StationId: Text("station"), GroupId: Text("group"), Mode: Choice<FormationMode>("mode"), InBase: Flag("inBase"),
            Prefix: Text("q"), State: Choice<IssueState>("state"), CreditCode: Text("creditCode"),
            Sort: sort ?? SortOrder.Name, Offset: Number("offset", 0, 0, 1_000_000), Limit: Number("limit", DefaultLimit, 1, 200),
            InstructorId: Text("instructor"));
        return errors.Count > 0 ? (null, Results.ValidationProblem(errors)) : (query, null);
    }

    /// <summary>A page as clients see it: the items in order, with where the page stands in the whole.</summary>
    public static ListPage<T> Page<T>(RegisterPage page, int limit, IEnumerable<T> items) =>
        new(page.Total, page.Offset, limit, [.. items]);
}

public sealed record ListPage<T>(int Total, int Offset, int Limit, T[] Items);

/// <summary>The answer to a create or replace: the entity's id under its own field name, and its new version.</summary>
public sealed record Saved(long Version);
