using System.Net;
using System.Text.Json.Nodes;
using Beacon.Gateway.Security;
using Beacon.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using HubException = Microsoft.AspNetCore.SignalR.HubException;
using static Beacon.IntegrationTests.Infrastructure.InMemoryClusterFixture;

namespace Beacon.IntegrationTests;

/// <summary>Who may see and change what, through the real gateway.</summary>
[Collection(InMemoryClusterCollection.Name)]
public sealed class ScopeTests(InMemoryClusterFixture fixture)
{
    private BeaconCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task No_token_is_401()
    {
        (await Cluster.GetAsync($"/api/counties/{Qingshui}/summary", null)).Expect(HttpStatusCode.Unauthorized);
        (await Cluster.PostAsync($"/api/counties/{Qingshui}/enterprises", null,
            TestEnterprises.New(TestEnterprises.NewCreditCode(Qingshui), "无令牌企业"))).Expect(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_expired_token_is_401()
    {
        var expired = TestTokens.Expired(Roles.CountyAdmin, $"county:{Qingshui}");
        (await Cluster.GetAsync($"/api/counties/{Qingshui}/summary", expired)).Expect(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_401()
    {
        var forged = Tokens.Issue(new AuthOptions { SigningKey = "some-other-signing-key-of-at-least-32-chars" },
            Roles.CountyAdmin, Scope.Parse($"county:{Qingshui}")!, "forger");
        (await Cluster.GetAsync($"/api/counties/{Qingshui}/summary", forged)).Expect(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_county_admin_cannot_read_or_change_another_county()
    {
        var admin = TestTokens.CountyAdmin(Qingshui);
        var longxiAdmin = TestTokens.CountyAdmin(Longxi);
        (await Cluster.GetAsync($"/api/counties/{Qingshui}/summary", admin)).Expect(HttpStatusCode.OK);
        (await Cluster.GetAsync($"/api/counties/{Longxi}/summary", admin)).Expect(HttpStatusCode.Forbidden);

        var before = await Cluster.SummaryAsync(Longxi, longxiAdmin);
        var code = TestEnterprises.NewCreditCode(Longxi);
        (await Cluster.PostAsync($"/api/counties/{Longxi}/enterprises", admin, TestEnterprises.New(code, "陇西县越权企业"))).Expect(HttpStatusCode.Forbidden);
        (await Cluster.PutAsync($"/api/counties/{Longxi}/enterprises/{code}", admin, TestEnterprises.New(code, "陇西县越权企业"))).Expect(HttpStatusCode.Forbidden);
        (await Cluster.PostAsync($"/api/counties/{Longxi}/reconcile", admin)).Expect(HttpStatusCode.Forbidden);

        (await Cluster.GetAsync($"/api/counties/{Longxi}/enterprises/{code}", longxiAdmin)).Expect(HttpStatusCode.NotFound);
        JsonFigures.AssertSameFigures(before, await Cluster.SummaryAsync(Longxi, longxiAdmin), "county 621122 after refused writes");
    }

    [Fact]
    public async Task A_province_overseer_reads_its_own_province_only_and_cannot_write()
    {
        var overseer = TestTokens.Overseer(Gansu);
        var comparison = (await Cluster.GetAsync($"/api/provinces/{Gansu}/comparison", overseer)).Expect(HttpStatusCode.OK).Object;
        var counties = comparison["rows"]!.AsArray().Select(r => r!["county"]!.GetValue<string>()).ToArray();
        Assert.Contains(Qingshui, counties);
        Assert.Contains(Longxi, counties);
        (await Cluster.GetAsync($"/api/counties/{Qingshui}/summary", overseer)).Expect(HttpStatusCode.OK);

        (await Cluster.GetAsync("/api/provinces/340000/comparison", overseer)).Expect(HttpStatusCode.Forbidden);
        (await Cluster.GetAsync("/api/counties/341525/summary", overseer)).Expect(HttpStatusCode.Forbidden);

        var before = await Cluster.SummaryAsync(Qingshui, overseer);
        var code = TestEnterprises.NewCreditCode(Qingshui);
        (await Cluster.PostAsync($"/api/counties/{Qingshui}/enterprises", overseer, TestEnterprises.New(code, "省级越权企业"))).Expect(HttpStatusCode.Forbidden);
        (await Cluster.PostAsync($"/api/counties/{Qingshui}/reconcile", overseer)).Expect(HttpStatusCode.Forbidden);
        JsonFigures.AssertSameFigures(before, await Cluster.SummaryAsync(Qingshui, overseer), "county 620521 after refused writes");
    }

    [Fact]
    public async Task A_prefecture_overseer_reads_the_counties_of_its_prefecture_only_and_cannot_write()
    {
        // 陇西县 lies in 定西市 (621100), 清水县 in 天水市 (620500).
        var overseer = TestTokens.PrefectureOverseer("621100");
        var comparison = (await Cluster.GetAsync("/api/prefectures/621100/comparison", overseer)).Expect(HttpStatusCode.OK).Object;
        Assert.Equal([Longxi], comparison["rows"]!.AsArray().Select(r => r!["county"]!.GetValue<string>()));
        (await Cluster.GetAsync($"/api/counties/{Longxi}/summary", overseer)).Expect(HttpStatusCode.OK);
        (await Cluster.GetAsync($"/api/counties/{Longxi}", overseer)).Expect(HttpStatusCode.OK);

        (await Cluster.GetAsync($"/api/counties/{Qingshui}/summary", overseer)).Expect(HttpStatusCode.Forbidden);
        (await Cluster.GetAsync("/api/prefectures/620500/comparison", overseer)).Expect(HttpStatusCode.Forbidden);
        (await Cluster.GetAsync($"/api/provinces/{Gansu}/comparison", overseer)).Expect(HttpStatusCode.Forbidden);
        (await Cluster.GetAsync($"/api/provinces/{Gansu}/counties", overseer)).Expect(HttpStatusCode.Forbidden);

        var before = await Cluster.SummaryAsync(Longxi, overseer);
        (await Cluster.PostAsync($"/api/counties/{Longxi}/enterprises", overseer,
            TestEnterprises.New(TestEnterprises.NewCreditCode(Longxi), "市级越权企业"))).Expect(HttpStatusCode.Forbidden);
        (await Cluster.PostAsync($"/api/counties/{Longxi}/reconcile", overseer)).Expect(HttpStatusCode.Forbidden);
        JsonFigures.AssertSameFigures(before, await Cluster.SummaryAsync(Longxi, overseer), "county 621122 after refused writes");
    }

    [Fact]
    public async Task A_province_admin_keeps_the_county_tenants_of_its_province_and_reads_none_of_their_registers()
    {
        var admin = TestTokens.ProvinceAdmin(Gansu);
        var profile = (await Cluster.GetAsync($"/api/counties/{Qingshui}", admin)).Expect(HttpStatusCode.OK).Object;
        Assert.Equal("清水县", profile["name"]!.GetValue<string>());
        var counties = (await Cluster.GetAsync($"/api/provinces/{Gansu}/counties", admin)).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal([Qingshui, Longxi], counties.Select(c => c!["code"]!.GetValue<string>()));
        (await Cluster.PutAsync($"/api/counties/{Qingshui}", admin, profile)).Expect(HttpStatusCode.OK);

        (await Cluster.GetAsync($"/api/counties/{Qingshui}/summary", admin)).Expect(HttpStatusCode.Forbidden);
        (await Cluster.GetAsync($"/api/counties/{Qingshui}/enterprises", admin)).Expect(HttpStatusCode.Forbidden);
        (await Cluster.GetAsync($"/api/provinces/{Gansu}/comparison", admin)).Expect(HttpStatusCode.Forbidden);
        (await Cluster.GetAsync("/api/prefectures/620500/comparison", admin)).Expect(HttpStatusCode.Forbidden);
        (await Cluster.GetAsync("/api/counties/341502", admin)).Expect(HttpStatusCode.Forbidden);
        (await Cluster.GetAsync("/api/provinces/340000/counties", admin)).Expect(HttpStatusCode.Forbidden);
        (await Cluster.PutAsync("/api/counties/341502", admin, new JsonObject { ["name"] = "金安区", ["prefectureName"] = "六安市" }))
            .Expect(HttpStatusCode.Forbidden);
        (await Cluster.PostAsync($"/api/counties/{Qingshui}/enterprises", admin,
            TestEnterprises.New(TestEnterprises.NewCreditCode(Qingshui), "省管理员越权企业"))).Expect(HttpStatusCode.Forbidden);

        await using var screen = await LiveTests.Screen.ConnectAsync(Cluster, admin);
        foreach (var scope in new[] { $"county:{Qingshui}", "prefecture:620500", $"province:{Gansu}" })
            await Assert.ThrowsAsync<HubException>(() => screen.Connection.InvokeAsync("Subscribe", scope));
    }

    [Fact]
    public async Task A_display_token_is_live_only()
    {
        var display = TestTokens.Display($"county:{Qingshui}");
        (await Cluster.GetAsync($"/api/counties/{Qingshui}/summary", display)).Expect(HttpStatusCode.Forbidden);
        (await Cluster.PostAsync($"/api/counties/{Qingshui}/enterprises", display,
            TestEnterprises.New(TestEnterprises.NewCreditCode(Qingshui), "大屏越权企业"))).Expect(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_county_screen_cannot_watch_another_county_or_its_province()
    {
        await using var screen = await LiveTests.Screen.ConnectAsync(Cluster, TestTokens.Display($"county:{Qingshui}"));
        var other = await Assert.ThrowsAsync<HubException>(() => screen.Connection.InvokeAsync("Subscribe", $"county:{Longxi}"));
        Assert.Contains("forbidden", other.Message, StringComparison.OrdinalIgnoreCase);
        await Assert.ThrowsAsync<HubException>(() => screen.Connection.InvokeAsync("Subscribe", $"province:{Gansu}"));
        await Assert.ThrowsAsync<HubException>(() => screen.Connection.InvokeAsync("Subscribe", "county:nonsense"));

        // The connection is still good for its own county.
        await screen.Connection.InvokeAsync("Subscribe", $"county:{Qingshui}");
        await screen.NextAsync(s => s.GetProperty("county").GetString() == Qingshui, "the snapshot of county 620521");
    }

    [Fact]
    public async Task The_hub_refuses_a_connection_without_a_valid_token()
    {
        var expired = TestTokens.Expired(Roles.Display, $"county:{Qingshui}");
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var screen = await LiveTests.Screen.ConnectAsync(Cluster, expired);
        });
        Assert.True(error is HttpRequestException { StatusCode: HttpStatusCode.Unauthorized } || error.Message.Contains("401"), error.ToString());
    }
}
