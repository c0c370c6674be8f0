using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Beacon.Gateway.Security;
using Beacon.Gateway.Workbooks;

namespace Beacon.Gateway.Apis;

/// <summary>
/// Every register as workbooks, from its descriptor's columns alone: an empty template (Chinese headers, a note per
/// column, drop-down lists for choices and 是/否) and the county's entries, one row each. Same access as the listing.
/// </summary>
public static class RegisterWorkbookApi
{
    public static RouteGroupBuilder MapRegisterWorkbookApis(this RouteGroupBuilder api)
    {
        var mapper = new Mapper(api);
        foreach (var register in Registers.All) register.Accept(mapper);
        return api;
    }

    private sealed class Mapper(RouteGroupBuilder api) : IRegisterVisitor
    {
        public void Visit<TProfile>(Register<TProfile> register) where TProfile : class => api.MapWorkbooks(register);
    }

    private static void MapWorkbooks<TProfile>(this RouteGroupBuilder api, Register<TProfile> register) where TProfile : class
    {
        var routes = api.MapGroup("/counties/{county}").WithTags(register.Tag, "Exports").RequireAuthorization(Policies.County).RequireCounty();

        routes.MapGet($"/{register.Route}/template.xlsx", (string county) =>
            TypedResults.File(Template(register), ExportApi.XlsxType, FileName(register, county, "template-")))
            .WithSummary($"An empty workbook to fill in {register.Route}: Chinese headers, a note per column, drop-down lists for choices and 是/否.")
            .Produces(StatusCodes.Status200OK, contentType: ExportApi.XlsxType).ProducesReadErrors();

        // The entries are the list's, under its policy: a personal register's to those who may read its people, held to their station.
        routes.MapGet($"/{register.Route}.xlsx", async (string county, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.File(await EntriesAsync(register, county, user.Actor(), grains), ExportApi.XlsxType, FileName(register, county, "")))
            .RequireAuthorization(Policies.Of(register))
            .WithSummary($"Every one of the county's {register.Route} as a workbook, one row each, with the template's columns.")
            .Produces(StatusCodes.Status200OK, contentType: ExportApi.XlsxType).ProducesReadErrors();
    }

    private static string FileName(Register register, string county, string prefix) =>
        $"{register.Route}-{prefix}{county}-{TimeProvider.System.GetUtcNow().ToOffset(ExportApi.ChinaOffset):yyyy-MM-dd}.xlsx";

    /// <summary>The sheet's columns, as the descriptor gives them.</summary>
    public static IReadOnlyList<SheetColumn> Columns(Register register) =>
        [.. register.Columns.Select(c => new SheetColumn(c.Header, c.Kind switch
        {
            CellKind.Integer => CellType.Integer,
            CellKind.Number => CellType.Number,
            CellKind.Date => CellType.Date,
            _ => CellType.Text,
        })
        {
            Width = Math.Max(12, c.Header.Length * 2 + 4),
            Note = string.IsNullOrWhiteSpace(c.Note) ? null : c.Note,
            Choices = c.Kind switch
            {
                CellKind.Choice => [.. c.Choices.Select(v => v.Label)],
                CellKind.YesNo => ["是", "否"],
                _ => [],
            },
        })];

    public static byte[] Template(Register register) =>
        WorkbookWriter.Write(new Sheet(register.Noun.Zh, Columns(register), []));

    private static async Task<byte[]> EntriesAsync<TProfile>(Register<TProfile> register, string county, Actor actor, IGrainFactory grains) where TProfile : class
    {
        var countyGrain = grains.GetGrain<ICountyGrain>(county);
        var profiles = new List<TProfile>();
        for (var offset = 0; ; offset += Listing.MaxLimit)
        {
            var page = await countyGrain.QueryAsync(PersonalData.Held(register, actor, county,
                new RegisterQuery(register.Kind, [], null, SortOrder.Id, offset, Listing.MaxLimit)));
            var entries = await Task.WhenAll(page.Ids.Select(id => grains.Grain(register, county, id).GetAsync()));
            profiles.AddRange(entries.OfType<Versioned<TProfile>>().Select(e => e.Value));
            if (page.Ids.Length == 0 || offset + page.Ids.Length >= page.Total) break;
        }
        return Workbook(register, profiles);
    }

    /// <summary>Entries as the register's workbook: the template's columns, one row each.</summary>
    public static byte[] Workbook<TProfile>(Register<TProfile> register, IEnumerable<TProfile> profiles) where TProfile : class =>
        WorkbookWriter.Write(new Sheet(register.Noun.Zh, Columns(register), [.. profiles.Select(p => Json.ToObject(p)).Select(json =>
            (IReadOnlyList<object?>)[.. register.Columns.Select(c => Cell(c, At(json, c.Path)))])]));

    private static JsonNode? At(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
            node = node is JsonObject o && o.TryGetPropertyValue(part, out var next) ? next : null;
        return node;
    }

    /// <summary>A value as the column writes it: a choice as its label, 是/否, a real date, a list joined with 、.</summary>
    public static object? Cell(Column column, JsonNode? node)
    {
        if (node is null) return null;
        if (node is JsonArray array)
            return string.Join('、', array.Select(n => n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : n?.ToJsonString()));
        if (node is not JsonValue value) return node.ToJsonString();
        var kind = value.GetValueKind();
        switch (column.Kind)
        {
            case CellKind.YesNo when kind is JsonValueKind.True or JsonValueKind.False:
                return value.GetValue<bool>() ? "是" : "否";
            case CellKind.Integer or CellKind.Number when kind == JsonValueKind.Number:
                return value.GetValue<double>();
            case CellKind.Date when kind == JsonValueKind.String &&
                DateOnly.TryParse(value.GetValue<string>(), CultureInfo.InvariantCulture, out var day):
                return day;
            case CellKind.Choice when kind == JsonValueKind.String:
                var text = value.GetValue<string>();
                return column.Choices.FirstOrDefault(c => c.Value == text)?.Label ?? text;
        }
        return kind switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => "是",
            JsonValueKind.False => "否",
            _ => value.ToJsonString(),
        };
    }
}
