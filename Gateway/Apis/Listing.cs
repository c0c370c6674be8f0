namespace Beacon.Gateway.Apis;

/// <summary>Reads a list's query string into a <see cref="RegisterQuery"/>, from the register's own filters, naming the parameter that is wrong.</summary>
public static class Listing
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    private static readonly string[] Paging = ["offset", "limit", "sort", "q"];

    public static (RegisterQuery? Query, IResult? Problem) Read(HttpRequest request, Register register)
    {
        var q = request.Query;
        var errors = new Dictionary<string, Said[]>();
        string? Text(string name)
        {
            var value = q[name].ToString();
            if (value.Length == 0) return null;
            if (value.Length > 100 || value.Any(char.IsControl))
                errors[name] = [new("最多 100 个字符，不含控制字符", "must be at most 100 characters without control characters")];
            return value;
        }
        int Number(string name, int fallback, int min, int max)
        {
            if (Text(name) is not { } value) return fallback;
            if (int.TryParse(value, out var n) && n >= min && n <= max) return n;
            errors[name] = [new($"须为 {min} 到 {max} 之间的整数", $"must be a whole number from {min} to {max}")];
            return fallback;
        }

        // A parameter the list does not take is a mistake the caller should hear of, not a filter silently dropped.
        foreach (var name in q.Keys.Where(k => !Paging.Contains(k) && register.Filters.All(f => f.Parameter != k)))
        {
            var known = string.Join(", ", [.. Paging, .. register.Filters.Select(f => f.Parameter)]);
            errors[name] = [new($"此列表不接受该参数；可用参数：{known}", $"is not a parameter of this list; it takes {known}")];
        }

        var filters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var filter in register.Filters)
        {
            if (Text(filter.Parameter) is not { } value) continue;
            if (filter.Choices is { } choices && !choices.Contains(value, StringComparer.OrdinalIgnoreCase))
                errors[filter.Parameter] = [new($"须为以下之一：{string.Join(", ", choices)}", $"must be one of {string.Join(", ", choices)}")];
            else filters[filter.Parameter] = value;
        }
        var sort = Text("sort") switch
        {
            null or "name" => SortOrder.Name,
            "-name" => SortOrder.NameDescending,
            "id" => SortOrder.Id,
            "-id" => SortOrder.IdDescending,
            _ => (SortOrder?)null,
        };
        if (sort is null) errors["sort"] = [new("须为 name、-name、id 或 -id", "must be name, -name, id or -id")];
        var query = new RegisterQuery(register.Kind, filters, Text("q"), sort ?? SortOrder.Name,
            Number("offset", 0, 0, 1_000_000), Number("limit", DefaultLimit, 1, MaxLimit));
        return errors.Count > 0 ? (null, Answers.Invalid(errors)) : (query, null);
    }

    /// <summary>A page as clients see it: the items in order, with where the page stands in the whole.</summary>
    public static ListPage<T> Page<T>(RegisterPage page, int limit, IEnumerable<T> items) =>
        new(page.Total, page.Offset, limit, [.. items]);
}

public sealed record ListPage<T>(int Total, int Offset, int Limit, T[] Items);

/// <summary>The answer to a create or replace: the entity's id under its own field name, and its new version.</summary>
public sealed record Saved(long Version);
