using System.Reflection;
using System.Text.Json;

namespace Beacon.Tests;

/// <summary>
/// A register's spreadsheet columns are what its workbooks and imports are made of: each must name a field its profile
/// has, in the public JSON's spelling, and hold what that field holds, or a workbook would carry a column nobody can fill.
/// </summary>
public sealed class RegisterColumnsTests
{
    public static TheoryData<string> Routes() => [.. Registers.All.Where(r => r.Columns.Count > 0).Select(r => r.Route)];

    private static Register Named(string route) => Registers.All.Single(r => r.Route == route);

    /// <summary>The profile type of a register of profiles (<see cref="Register{TProfile}"/>).</summary>
    private static Type ProfileOf(Register register) => register.GetType().GetGenericArguments().Single();

    /// <summary>The property at a dotted camelCase path, or null when the profile has none there.</summary>
    private static PropertyInfo? At(Type type, string path)
    {
        PropertyInfo? property = null;
        foreach (var part in path.Split('.'))
        {
            property = type.GetProperties().FirstOrDefault(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name) == part);
            if (property is null) return null;
            type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        }
        return property;
    }

    private static Type Leaf(PropertyInfo property) => Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;

    [Theory]
    [MemberData(nameof(Routes))]
    public void Every_column_names_a_field_of_the_profile_once_and_holds_what_it_holds(string route)
    {
        var register = Named(route);
        var profile = ProfileOf(register);
        Assert.Equal(register.IdField, register.Columns[0].Path);
        Assert.Equal(register.Columns.Count, register.Columns.Select(c => c.Path).Distinct().Count());
        // A header or alias that meant two columns would make a workbook's column ambiguous.
        var headers = register.Columns.SelectMany(c => c.Aliases.Prepend(c.Header)).ToList();
        Assert.Equal(headers.Count, headers.Distinct().Count());
        foreach (var column in register.Columns)
        {
            var property = At(profile, column.Path);
            Assert.True(property is not null, $"{route}: column {column.Header} names {column.Path}, which {profile.Name} does not have");
            var type = Leaf(property!);
            var expected = type switch
            {
                _ when type.IsEnum => CellKind.Choice,
                _ when type == typeof(bool) => CellKind.YesNo,
                _ when type == typeof(int) || type == typeof(long) => CellKind.Integer,
                _ when type == typeof(double) || type == typeof(decimal) => CellKind.Number,
                _ when type == typeof(DateOnly) => CellKind.Date,
                _ when type == typeof(string) => CellKind.Text,
                _ when type.IsArray && type.GetElementType() == typeof(string) => CellKind.List,
                _ => throw new Xunit.Sdk.XunitException($"{route}: column {column.Path} is a {type.Name}, which no cell holds"),
            };
            Assert.True(expected == column.Kind, $"{route}: column {column.Path} ({type.Name}) is {column.Kind}, it should be {expected}");
            if (type.IsEnum)
                Assert.Equal(Enum.GetNames(type).Select(n => JsonNamingPolicy.CamelCase.ConvertName(n)), column.Choices.Select(c => c.Value));
            else
                Assert.Empty(column.Choices);
        }
    }
}
