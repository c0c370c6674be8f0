using Beacon.Rules;
using Beacon.Tests.Infrastructure;
using static Beacon.Tests.Infrastructure.Ent;

namespace Beacon.Tests;

/// <summary>
/// A county's to-do: each kind DESIGN.md lists comes onto it from what the county's children report, says how late it
/// is, belongs to its station, and goes away as soon as the thing is done.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TodoTests(ClusterFixture fixture)
{
    private static TGrain Grain<TGrain>(Tenant t, string id) where TGrain : IGrainWithStringKey =>
        t.Client.GetGrain<TGrain>(Places.TenantKey(t.Code, id));

    [Fact]
    public async Task Each_kind_of_item_comes_with_its_lateness_and_station_and_goes_when_it_is_done()
    {
        var t = await Tenant.CreateAsync(fixture.Client, "110421");
        var now = DateTimeOffset.UtcNow;
        var today = Validation.Today(now);
        var lastMonth = OrganisationalLife.LastClosedMonth(today);
        var monthEnd = OrganisationalLife.LastDay(lastMonth);

        await t.StationAsync("S1", "一镇");
        await t.StationAsync("S2", "二镇");
        await t.GroupAsync("G1", "S1");
        await t.OkAsync(new InstructorProfile("I1", "王建国", true, StationId: "S1", GroupId: "G1", DutyDaysPerWeek: 2));
        // An organisation whose term ends in 30 days and which held no meeting last month, established long before.
        await t.OkAsync(new OrganisationProfile("O1", "一镇联合党支部", OrganisationKind.JointBranch, OrganisationHost.Joint, StationId: "S1",
            EstablishedOn: today.AddYears(-5), TermStartedOn: today.AddYears(-3).AddDays(30), TermYears: 3));
        var code = t.CreditCode(1);
        await t.OkAsync(Of(code, employees: 20, members: 2, mode: FormationMode.Joint, organisationId: "O1", township: "一镇", station: "S1"));
        var (issue, raised) = await t.County.RaiseIssueAsync(code, IssueCategory.Financing, "融资难", Tenant.Actor, now.AddDays(-40));
        Assert.True(raised.Succeeded);
        // Applied ten days ago: the talk is due within 30 days of the application.
        await t.OkAsync(Grain<IApplicantGrain>(t, "A1").PutAsync(new ApplicantProfile("A1", "李秀英", Gender.Female, 1995, "O1", today.AddDays(-10), code, "S1"), Tenant.Actor));

        var todo = await t.County.GetTodoAsync(null, personal: true);
        TodoItem One(TodoKind kind, string id) => Assert.Single(todo, x => x.Kind == kind && x.Id == id);
        var overdue = One(TodoKind.IssueOverdue, issue!);
        Assert.Equal(("issues", "S1", 10), (overdue.Entity, overdue.StationId, overdue.DaysLate));
        var report = One(TodoKind.StationReportMissing, "S2");
        Assert.Equal((monthEnd, today.DayNumber - monthEnd.DayNumber), (report.Due!.Value, report.DaysLate!.Value));
        One(TodoKind.StationMeetingMissing, "S1");
        Assert.Equal(monthEnd, One(TodoKind.OrganisationalLifeBehind, "O1").Due);
        var term = One(TodoKind.TermDue, "O1");
        Assert.Equal((today.AddDays(30), -30), (term.Due!.Value, term.DaysLate!.Value));
        var step = One(TodoKind.DevelopmentStepDue, "A1");
        Assert.Equal(-20, step.DaysLate);
        Assert.DoesNotContain("李秀英", step.Text.Zh);
        Assert.Null(One(TodoKind.GroupBelowStrength, "G1").DaysLate);
        Assert.Contains("2 天", One(TodoKind.InstructorBelowDutyDays, "I1").Text.Zh);
        // The latest first; what has no day last.
        Assert.Equal(todo.OrderByDescending(x => x.DaysLate ?? int.MinValue).Select(x => x.DaysLate), todo.Select(x => x.DaysLate));

        // A station's own list, and one without the people for those who may not see them.
        Assert.All(await t.County.GetTodoAsync("S2", personal: true), x => Assert.Equal("S2", x.StationId));
        Assert.DoesNotContain(await t.County.GetTodoAsync(null, personal: false), x => x.Kind == TodoKind.DevelopmentStepDue);

        // Done, and gone.
        await t.OkAsync(Grain<IStationGrain>(t, "S2").SubmitMonthlyReportAsync(new MonthlyReport(OrganisationalLife.Name(lastMonth), "走访企业 12 家", []), Tenant.Actor));
        await t.OkAsync(t.Issue(issue!).ResolveAsync("协调银行贷款", Tenant.Actor));
        await t.OkAsync(new InstructorProfile("I1", "王建国", true, StationId: "S1", GroupId: "G1", DutyDaysPerWeek: 5));
        await t.OkAsync(new InstructorProfile("I2", "张志强", true, StationId: "S1", GroupId: "G1", DutyDaysPerWeek: 4));
        todo = await Poll.UntilAsync(() => t.County.GetTodoAsync(null, true),
            x => !x.Any(i => i.Kind is TodoKind.IssueOverdue or TodoKind.GroupBelowStrength or TodoKind.InstructorBelowDutyDays), "the done items gone");
        Assert.DoesNotContain(todo, x => x.Kind == TodoKind.StationReportMissing && x.Id == "S2");
        Assert.Contains(todo, x => x.Kind == TodoKind.StationReportMissing && x.Id == "S1");
    }
}
