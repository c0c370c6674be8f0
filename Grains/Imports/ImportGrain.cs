using Beacon.Rules;

namespace Beacon.Grains.Imports;

/// <summary>What an import read, written once at the preview.</summary>
[GenerateSerializer]
public sealed class ImportRead
{
    [Id(0)] public ImportPlan? Plan { get; set; }
}

/// <summary>Where an import's apply stands and what it has found so far, written after every batch (small, unlike the plan).</summary>
[GenerateSerializer]
public sealed class ImportRecord
{
    [Id(1)] public ImportState State { get; set; }
    /// <summary>Rows of <see cref="ImportPlan.Rows"/> written so far, in order: an apply cut short goes on from here.</summary>
    [Id(2)] public int Done { get; set; }
    [Id(3)] public Actor? AppliedBy { get; set; }
    [Id(4)] public int Created { get; set; }
    [Id(5)] public int Updated { get; set; }
    [Id(6)] public int Unchanged { get; set; }
    [Id(7)] public List<RefusedCell> Refused { get; set; } = [];
    [Id(8)] public ImportResult? Result { get; set; }
}

/// <summary>
/// One import: keeps the preview the gateway read, then writes its rows through the register's grains a batch at a
/// time (<see cref="ImportLimits.BatchRows"/>): one admission by the county for the batch, each entry's own checked
/// write, one report of the batch to the county. Rows are written in the file's order, so a row may refer to one above
/// it; a row the county or its entry refuses now is kept with the reason and never stops the others. Progress is
/// durable per batch, and an apply a restart cut short goes on when the import wakes (rows already written are
/// unchanged the second time).
/// </summary>
public sealed class ImportGrain(
    [PersistentState("import", BeaconStorage.Name)] IPersistentState<ImportRead> read,
    [PersistentState("import-progress", BeaconStorage.Name)] IPersistentState<ImportRecord> record,
    TimeProvider time, ILogger<ImportGrain> logger) : Grain, IImportGrain
{
    /// <summary>How often a batch that failed (a silo away, a timeout) is tried again before the import is marked failed.</summary>
    private const int Attempts = 3;

    private CountyChild? _child;
    private CountyChild Child => _child ??= new CountyChild(this, GrainFactory);
    private ImportRecord State => record.State;
    private ImportPlan? Plan => read.State.Plan;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.State == ImportState.Applying && State.AppliedBy is { } actor) Run(actor);
        return Task.CompletedTask;
    }

    public async Task<ImportStatus> PreviewAsync(ImportPlan plan)
    {
        if (Plan is not null) return Status()!;
        read.State.Plan = plan;
        await read.WriteStateAsync();
        return Status()!;
    }

    public Task<ImportStatus?> GetAsync() => Task.FromResult(Status());

    public async Task<ImportStatus?> ApplyAsync(Actor actor)
    {
        if (Plan is null) return null;
        if (State.State != ImportState.Previewed) return Status();
        State.State = ImportState.Applying;
        State.AppliedBy = actor;
        await record.WriteStateAsync();
        Run(actor);
        return Status();
    }

    private void Run(Actor actor)
    {
        // Nothing calls the import while it runs, but it must stay active until it ends.
        DelayDeactivation(TimeSpan.FromHours(1));
        _ = RunAsync(actor);
    }

    private async Task RunAsync(Actor actor)
    {
        var plan = Plan!;
        var register = Registers.Of(plan.Kind);
        // Every entity's history names the import and its file beside the person who applied it.
        var through = actor.Through($"导入 {Child.Id}「{plan.FileName}」");
        try
        {
            while (State.Done < plan.Rows.Length)
            {
                var batch = plan.Rows[State.Done..Math.Min(plan.Rows.Length, State.Done + ImportLimits.BatchRows)];
                var writer = new BatchWriter(GrainFactory, Child.County, batch, through);
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        register.Accept(writer);
                        await writer.Written!;
                        break;
                    }
                    catch (Exception e) when (attempt < Attempts)
                    {
                        logger.LogWarning(e, "Import {Import}: a batch of {Rows} rows from row {Row} failed; it is tried again", this.GetPrimaryKeyString(), batch.Length, batch[0].Row);
                        await Task.Delay(TimeSpan.FromSeconds(attempt));
                    }
                }
                foreach (var (row, result) in batch.Zip(writer.Results))
                    Count(plan, row, result);
                State.Done += batch.Length;
                await record.WriteStateAsync();
            }
            State.State = ImportState.Applied;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Import {Import} failed after {Done} of {Total} rows", this.GetPrimaryKeyString(), State.Done, plan.Rows.Length);
            State.State = ImportState.Failed;
        }
        State.Result = new ImportResult(State.Created, State.Updated, State.Unchanged, [.. State.Refused], time.GetUtcNow(), actor.Label);
        await record.WriteStateAsync();
    }

    private void Count(ImportPlan plan, ImportRow row, ChangeResult result)
    {
        switch (result.Outcome)
        {
            case ChangeOutcome.Created: State.Created++; break;
            case ChangeOutcome.Updated: State.Updated++; break;
            case ChangeOutcome.Unchanged: State.Unchanged++; break;
            default:
                var errors = result.Errors is { Count: > 0 } e ? e
                    : new Dictionary<string, Said[]> { ["body"] = [new("未能写入", "could not be written")] };
                foreach (var (field, whys) in errors)
                    foreach (var why in whys)
                        State.Refused.Add(new RefusedCell(row.Row, plan.Headers.GetValueOrDefault(field), field, why));
                break;
        }
    }

    private ImportStatus? Status()
    {
        if (Plan is not { } plan) return null;
        return new ImportStatus(Child.Id, plan.Kind, State.State, plan.FileName, plan.Sheet, plan.RowsRead,
            plan.Rows.Count(r => r.Plan == RowPlan.Create), plan.Rows.Count(r => r.Plan == RowPlan.Update),
            plan.Rows.Count(r => r.Plan == RowPlan.Unchanged), plan.Refused.Select(r => r.Row).Distinct().Count(), plan.Refused,
            State.Done, plan.Rows.Length, State.Result, plan.By, plan.At);
    }

    /// <summary>One batch of rows through a register of profiles: admitted together, each written by its entry, reported together.</summary>
    private sealed class BatchWriter(IGrainFactory grains, string county, ImportRow[] rows, Actor actor) : IRegisterVisitor
    {
        public Task? Written { get; private set; }
        public ChangeResult[] Results { get; private set; } = [];

        public void Visit<TProfile>(Register<TProfile> register) where TProfile : class => Written = WriteAsync(register);

        private async Task WriteAsync<TProfile>(Register<TProfile> register) where TProfile : class
        {
            var countyGrain = grains.GetGrain<ICountyGrain>(county);
            var profiles = rows.Select(r => (TProfile)r.Profile).ToArray();
            var admitted = await countyGrain.AdmitAllAsync([.. rows.Select((r, i) => register.Contribute(r.Id, profiles[i], 0))]);
            var staged = await Task.WhenAll(rows.Select((r, i) => admitted[i].Count > 0
                ? Task.FromResult(new StagedChange(ChangeResult.Invalid(admitted[i]), null, null))
                : ((IRegisterGrain<TProfile>)grains.GetGrain(register.Grain, Places.TenantKey(county, r.Id))).PutAdmittedAsync(profiles[i], actor)));
            var reported = staged.Where(s => s.Contribution is not null).ToArray();
            if (reported.Length > 0)
                await countyGrain.ReportAllAsync([.. reported.Select(s => s.Contribution!)], [.. reported.Where(s => s.Note is not null).Select(s => s.Note!)]);
            Results = [.. staged.Select(s => s.Result)];
        }
    }
}
