using System.Security.Claims;
using System.Text.Json.Nodes;
using Beacon.Gateway.Security;
using Beacon.Gateway.Workbooks;
using Microsoft.AspNetCore.Http.Features;

namespace Beacon.Gateway.Apis;

/// <summary>
/// Rosters in from Excel, in two steps: a workbook is read into a preview (what each row would create, change or
/// leave, and every cell refused, with the row as Excel numbers it), kept by an <see cref="IImportGrain"/>; nothing
/// changes until it is applied, which writes the accepted rows through the register's grains and reports progress.
/// A row refused is refused alone. A column the file does not have keeps the entry's current value.
/// </summary>
public static class ImportApi
{
    /// <summary>What a multipart form adds to the file around it; a body over the two is cut off by the server.</summary>
    private const int FormOverheadBytes = 64 * 1024;

    public static RouteGroupBuilder MapImportApi(this RouteGroupBuilder api)
    {
        var imports = api.MapGroup("/counties/{county}/imports").WithTags("Imports").RequireAuthorization(Policies.County).RequireCounty();

        imports.MapPost("/", PreviewAsync).DisableAntiforgery()
            .WithSummary("Reads a workbook (multipart: register, file) into a preview: rows read, what it would create, change and leave unchanged, and every refused cell. Changes nothing.")
            // Not declared with Accepts: routing would answer any other content type 415 before authorisation and
            // without naming the field; the handler names it.
            .WithDescription("Request: multipart/form-data with the fields register (enterprises, stations, groups, instructors, organisations, applicants) and file (.xlsx, at most 10 MB and 50,000 rows).")
            .Produces<object>(StatusCodes.Status201Created).ProducesWriteErrors();
        imports.MapGet("/{id}", GetAsync)
            .WithSummary("An import: its preview, its state (previewed, applying, applied, failed), its progress (done of total) and, once applied, its result.")
            .Produces<object>().ProducesReadErrors();
        imports.MapPost("/{id}/apply", ApplyAsync)
            .WithSummary("Starts writing the accepted rows (202); applying an import again changes nothing.")
            .Produces<object>(StatusCodes.Status202Accepted).ProducesWriteErrors();
        return api;
    }

    private static async Task<IResult> PreviewAsync(string county, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (Refused(county, user) is { } refused) return refused;
        var actor = user.Actor();
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = ImportLimits.MaxFileBytes + FormOverheadBytes;
        if (!request.HasFormContentType)
            return Answers.Invalid("file", new("须以 multipart/form-data 上传（register 与 file 两项）", "must be uploaded as multipart/form-data (register and file)"));
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return FileTooLarge();
        }
        catch (InvalidDataException)
        {
            return Answers.Invalid("file", new("上传的表单无法读取", "the uploaded form cannot be read"));
        }

        var route = form["register"].ToString().Trim();
        var register = Registers.All.FirstOrDefault(r => r.Route == route);
        var importable = Registers.All.Where(Importable).Select(r => r.Route).ToArray();
        if (register is null || !Importable(register))
            return Answers.Invalid("register", new($"须为以下之一：{string.Join("、", importable)}", $"must be one of {string.Join(", ", importable)}"));
        // A roster of people is read against the entries it names: only by those who may read them (the personal rule).
        if (register.Personal && !actor.MayReadPersonal(county))
            return Answers.Forbidden(new($"{actor} 无权导入县 {county} 的{register.Noun.Zh}：只有县委组织部和所属指导站可以", $"{actor} may not import {register.Route} into county {county}: only its committee and the hosting station may"));
        if (form.Files.GetFile("file") is not { } file) return Answers.Invalid("file", Rules.Validation.Required);
        if (file.Length > ImportLimits.MaxFileBytes) return FileTooLarge();

        byte[] bytes;
        using (var memory = new MemoryStream((int)file.Length))
        {
            await file.CopyToAsync(memory, request.HttpContext.RequestAborted);
            bytes = memory.ToArray();
        }
        ImportPlan plan;
        try
        {
            var reader = new Preview(county, actor, Path.GetFileName(file.FileName), bytes, grains);
            register.Accept(reader);
            plan = await reader.Plan!;
        }
        catch (UnreadableWorkbook unreadable)
        {
            return unreadable.TooLarge
                ? Answers.Invalid(new Dictionary<string, Said[]> { ["file"] = [unreadable.Why] }, StatusCodes.Status413PayloadTooLarge, new("文件过大", "File too large"))
                : Answers.Invalid("file", unreadable.Why);
        }
        var id = Guid.NewGuid().ToString("N");
        var status = await Import(grains, county, id).PreviewAsync(plan);
        return TypedResults.Created($"/api/counties/{county}/imports/{id}", View(status, Answers.English(request)));
    }

    private static async Task<IResult> GetAsync(string county, string id, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (Refused(county, user) is { } refused) return refused;
        return await Import(grains, county, id).GetAsync() is { } status
            ? TypedResults.Ok(View(status, Answers.English(request)))
            : Answers.NotFound(Called(county, id));
    }

    private static async Task<IResult> ApplyAsync(string county, string id, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (Refused(county, user) is { } refused) return refused;
        return await Import(grains, county, id).ApplyAsync(user.Actor()) is { } status
            ? TypedResults.Accepted($"/api/counties/{county}/imports/{id}", View(status, Answers.English(request)))
            : Answers.NotFound(Called(county, id));
    }

    /// <summary>An import is its county's writers' business: an overseer who may read the county's figures does not read its imports.</summary>
    private static IResult? Refused(string county, ClaimsPrincipal user) => user.Actor() is var actor && actor.MayWrite(county) ? null
        : Answers.Forbidden(new($"{actor} 无权导入县 {county} 的名册或查看其导入", $"{actor} may not import into county {county} or see its imports"));

    private static bool Importable(Register register)
    {
        var probe = new ProfileProbe();
        register.Accept(probe);
        return probe.HasProfiles;
    }

    private sealed class ProfileProbe : IRegisterVisitor
    {
        public bool HasProfiles { get; private set; }
        public void Visit<TProfile>(Register<TProfile> register) where TProfile : class => HasProfiles = true;
    }

    private static IResult FileTooLarge() => Answers.Invalid(
        new Dictionary<string, Said[]> { ["file"] = [new($"最大 {ImportLimits.MaxFileBytes / 1024 / 1024} MB", $"must be at most {ImportLimits.MaxFileBytes / 1024 / 1024} MB")] },
        StatusCodes.Status413PayloadTooLarge, new("文件过大", "File too large"));

    private static IImportGrain Import(IGrainFactory grains, string county, string id) => grains.GetGrain<IImportGrain>(Places.TenantKey(county, id));

    private static Said Called(string county, string id) => new($"县 {county} 的导入 {id}", $"import {id} of county {county}");

    /// <summary>The import as the contract names it.</summary>
    private static object View(ImportStatus s, bool english) => new
    {
        id = s.Id,
        register = Registers.Of(s.Kind).Route,
        state = Rules.JsonNames.Of(s.State),
        fileName = s.FileName,
        sheet = s.Sheet,
        rows = s.RowsRead,
        creates = s.Creates,
        updates = s.Updates,
        unchanged = s.Unchanged,
        refused = s.RefusedRows,
        errors = s.Refused.Select(e => Error(e, english)),
        done = s.Done,
        total = s.Total,
        result = s.Result is not { } r ? null : new
        {
            created = r.Created,
            updated = r.Updated,
            unchanged = r.Unchanged,
            refused = r.Refused.Select(e => e.Row).Distinct().Count(),
            errors = r.Refused.Select(e => Error(e, english)),
            finishedAt = r.FinishedAt,
            by = r.By,
        },
        by = s.By,
        at = s.At,
    };

    private static object Error(RefusedCell e, bool english) => new { row = e.Row, column = e.Column, field = e.Field, message = e.Message.In(english) };

    /// <summary>
    /// Reads a workbook into the plan for one register of profiles: each row over the entry as it stands (so that a
    /// column the file lacks keeps its value), read as a request body is, checked by the register's own rules, by who
    /// may change it, and by the county for what it refers to, in the file's order.
    /// </summary>
    private sealed class Preview(string county, Actor actor, string fileName, byte[] file, IGrainFactory grains) : IRegisterVisitor
    {
        public Task<ImportPlan>? Plan { get; private set; }

        public void Visit<TProfile>(Register<TProfile> register) where TProfile : class => Plan = ReadAsync(register);

        private async Task<ImportPlan> ReadAsync<TProfile>(Register<TProfile> register) where TProfile : class
        {
            var sheets = WorkbookReader.Read(file, ImportLimits.MaxRows);
            var layout = RosterReader.Layout(register, sheets);
            var rows = RosterReader.Rows(register, layout).ToArray();
            var today = Rules.Validation.Today(TimeProvider.System.GetUtcNow());
            // Only the entries the county holds are read: a new row's grain would be activated (a read of the storage)
            // for nothing, and that is most rows of a first import.
            var held = (await grains.GetGrain<ICountyGrain>(county).WhichExistAsync(register.Kind,
                [.. rows.Select(r => r.Id).OfType<string>().Where(id => id.Length > 0).Distinct()])).ToHashSet(StringComparer.Ordinal);
            var current = await Task.WhenAll(rows.Select(r => r.Id is not { Length: > 0 } id || !held.Contains(id) ? Task.FromResult<Versioned<TProfile>?>(null)
                : grains.Grain(register, county, id).GetAsync()));
            var headers = layout.Columns.ToDictionary(c => c.Column.Path, c => c.Header);
            string HeaderOf(string field) => headers.GetValueOrDefault(field) ?? register.Columns.FirstOrDefault(c => c.Path == field)?.Header ?? field;

            var refused = new List<RefusedCell>();
            var accepted = new List<(RosterRow Row, TProfile Profile, RowPlan Plan, Contribution Proposed)>();
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < rows.Length; i++)
            {
                var row = rows[i];
                void Refuse(string field, Said why) => refused.Add(new RefusedCell(row.Row, HeaderOf(field), field, why));
                if (row.Refused.Count > 0) { refused.AddRange(row.Refused); continue; }
                if (string.IsNullOrEmpty(row.Id)) { Refuse(register.IdField, Rules.Validation.Required); continue; }
                if (seen.TryGetValue(row.Id, out var first)) { Refuse(register.IdField, new($"与第 {first} 行重复", $"repeats row {first}")); continue; }
                seen[row.Id] = row.Row;

                var json = current[i] is { } entry ? Json.ToObject(entry.Value) : new JsonObject();
                foreach (var path in row.Given) RosterReader.Remove(json, path);
                foreach (var (key, value) in row.Json) Merge(json, key, value);
                var (profile, errors) = Json.Read<TProfile>(json);
                if (errors is not null) { foreach (var (field, whys) in errors) foreach (var why in whys) Refuse(field, why); continue; }
                var validation = register.Validate(profile!, today);
                if (!validation.IsValid) { foreach (var (field, whys) in validation.Errors) foreach (var why in whys) Refuse(field, why); continue; }

                var before = current[i] is { } was ? register.Contribute(row.Id, was.Value, was.Version) : null;
                var after = register.Contribute(row.Id, profile, 0);
                if (!actor.MayChange(county, register.Kind, before is not null, before is null ? null : register.StationOf(before), register.StationOf(after)))
                {
                    Refuse(register.Links.FirstOrDefault(l => l.Target == EntityKind.Station)?.Field ?? register.IdField,
                        new($"{actor} 无权导入这一行：只能导入本指导站的{register.Noun.Zh}", $"{actor} may not import this row: only {register.Route} of their own station"));
                    continue;
                }
                var plan = current[i] is not { } old ? RowPlan.Create
                    : System.Text.Json.Nodes.JsonNode.DeepEquals(Json.ToObject(old.Value), Json.ToObject(profile)) ? RowPlan.Unchanged : RowPlan.Update;
                accepted.Add((row, profile!, plan, after));
            }

            // What the rows refer to and claim, in order, as if the accepted rows above each were in the county already.
            var checks = await grains.GetGrain<ICountyGrain>(county).CheckAllAsync([.. accepted.Select(a => a.Proposed)]);
            var planned = new List<ImportRow>();
            for (var i = 0; i < accepted.Count; i++)
            {
                var (row, profile, plan, _) = accepted[i];
                if (checks[i].Count == 0) { planned.Add(new ImportRow(row.Row, row.Id!, profile, plan)); continue; }
                foreach (var (field, whys) in checks[i])
                    foreach (var why in whys) refused.Add(new RefusedCell(row.Row, HeaderOf(field), field, why));
            }
            return new ImportPlan(register.Kind, fileName, layout.Sheet.Name, rows.Length, [.. planned], [.. refused.OrderBy(r => r.Row)],
                register.Columns.ToDictionary(c => c.Path, c => HeaderOf(c.Path)), actor.Label, TimeProvider.System.GetUtcNow());
        }

        /// <summary>A value read from the file over the entry's own, object by object (the file's location.lat keeps its location.lon).</summary>
        private static void Merge(JsonObject into, string key, JsonNode? value)
        {
            if (value is JsonObject part && into[key] is JsonObject existing)
                foreach (var (k, v) in part) Merge(existing, k, v);
            else
                into[key] = value?.DeepClone();
        }
    }
}
