using System.Net;
using System.Text.Json.Nodes;
using Beacon.IntegrationTests.Infrastructure;
using static Beacon.IntegrationTests.Infrastructure.InMemoryClusterFixture;

namespace Beacon.IntegrationTests;

/// <summary>
/// Accounts through the real gateway and silo: the first province administrator made by the bootstrap command, people
/// signing in with a name and a password, each manager making the accounts below it and no others, five failures in a
/// row locking an account, ending one ending its tokens, and histories naming the person who made each change.
/// </summary>
[Collection(InMemoryClusterCollection.Name)]
public sealed class AccountTests(InMemoryClusterFixture fixture)
{
    private BeaconCluster Cluster => fixture.Cluster;
    private static string Fresh(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
    private const string Password = "甘肃-Beacon-2026!";

    /// <summary>Runs <c>dotnet Beacon.Gateway.dll account …</c> against the running cluster, the password in a file.</summary>
    private async Task<(int ExitCode, string Described)> BootstrapAsync(params string[] args)
    {
        var file = Path.Combine(BeaconProcesses.NewDirectory("password"), "password");
        await File.WriteAllTextAsync(file, Password + "\n");
        var env = BeaconProcesses.CommonEnvironment();
        env["Beacon__Storage"] = "memory";
        env["Beacon__Cluster__GatewayPort"] = Cluster.Ports.Gateway.ToString();
        await using var command = BeaconProcess.Start("account command", BeaconProcesses.GatewayDll, ["account", .. args, "--password-file", file], env);
        Assert.True(await command.WaitForExitAsync(TimeSpan.FromSeconds(90)), $"the account command did not exit\n{command.Describe()}");
        return (command.ExitCode, command.Describe());
    }

    private async Task<string> ProvinceAdminAsync()
    {
        var user = Fresh("gansu");
        var (exit, described) = await BootstrapAsync("--user", user, "--role", Roles.ProvinceAdmin, "--scope", $"province:{Gansu}", "--name", "甘肃省委组织部");
        Assert.True(exit == 0, described);
        return await SignInAsync(user, Password);
    }

    private async Task<string> SignInAsync(string user, string password)
    {
        var answer = (await Cluster.PostAsync("/api/auth/token", null, new JsonObject { ["user"] = user, ["password"] = password })).Expect(HttpStatusCode.OK);
        Assert.DoesNotContain(password, answer.Body);
        Assert.True(DateTimeOffset.Parse((string)answer.Object["expiresAt"]!) > DateTimeOffset.UtcNow);
        return (string)answer.Object["token"]!;
    }

    private static JsonObject Account(string user, string role, string? scope = null, string? station = null, string? name = null) => new()
    {
        ["user"] = user, ["password"] = Password, ["role"] = role, ["scope"] = scope, ["stationId"] = station, ["displayName"] = name,
    };

    [Fact]
    public async Task The_bootstrapped_province_admin_makes_a_county_admin_who_makes_station_staff_and_changes_are_signed_with_their_names()
    {
        var province = await ProvinceAdminAsync();
        (await Cluster.GetAsync($"/api/provinces/{Gansu}/counties", province)).Expect(HttpStatusCode.OK);

        var admin = Fresh("lx-admin");
        var created = (await Cluster.PostAsync($"/api/provinces/{Gansu}/accounts", province,
            Account(admin, Roles.CountyAdmin, $"county:{Longxi}", name: "陇西县委组织部 王芳"))).Expect(HttpStatusCode.Created);
        Assert.Equal("county-admin", (string)created.Object["role"]!);
        Assert.DoesNotContain(Password, created.Body);
        Assert.DoesNotContain("passwordHash", created.Body, StringComparison.OrdinalIgnoreCase);
        var listed = (await Cluster.GetAsync($"/api/provinces/{Gansu}/accounts", province)).Expect(HttpStatusCode.OK);
        Assert.Contains(listed.Json.AsArray(), a => (string)a!["user"]! == admin);
        Assert.DoesNotContain(Password, listed.Body);

        var county = await SignInAsync(admin, Password);
        var staff = Fresh("lx01");
        (await Cluster.PostAsync($"/api/counties/{Longxi}/accounts", county, Account(staff, Roles.StationStaff, station: "LX-01", name: "开发区指导站 李强")))
            .Expect(HttpStatusCode.Created);
        (await Cluster.PostAsync($"/api/counties/{Longxi}/accounts", county, Account(Fresh("nostation"), Roles.StationStaff, station: "NO-SUCH")))
            .ExpectError(HttpStatusCode.BadRequest, "stationId");
        var weak = Account(Fresh("weak"), Roles.StationStaff, station: "LX-01");
        weak["password"] = "short";
        (await Cluster.PostAsync($"/api/counties/{Longxi}/accounts", county, weak)).ExpectError(HttpStatusCode.BadRequest, "password");
        (await Cluster.PostAsync($"/api/counties/{Longxi}/accounts", county, Account(staff, Roles.Display))).ExpectError(HttpStatusCode.BadRequest, "user");

        // The person's name and role in the history of what they changed, not a token's subject.
        var code = TestEnterprises.NewCreditCode(Longxi);
        (await Cluster.PostAsync($"/api/counties/{Longxi}/enterprises", county, TestEnterprises.New(code, "陇西县账号测试企业", 30, 2))).Expect(HttpStatusCode.Created);
        var history = (await Cluster.GetAsync($"/api/counties/{Longxi}/enterprises/{code}/history", county)).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal("陇西县委组织部 王芳（county-admin）", (string)history[0]!["by"]!);
        var station = await SignInAsync(staff, Password);
        var moved = TestEnterprises.New(code, "陇西县账号测试企业", 31, 2);
        moved["stationId"] = "LX-01";
        (await Cluster.PutAsync($"/api/counties/{Longxi}/enterprises/{code}", county, moved)).Expect(HttpStatusCode.OK);
        moved["employees"] = 32;
        (await Cluster.PutAsync($"/api/counties/{Longxi}/enterprises/{code}", station, moved)).Expect(HttpStatusCode.OK);
        history = (await Cluster.GetAsync($"/api/counties/{Longxi}/enterprises/{code}/history", county)).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal("开发区指导站 李强（station-staff）", (string)history[^1]!["by"]!);
    }

    [Fact]
    public async Task No_one_makes_an_account_above_their_role_or_of_another_place()
    {
        var province = await ProvinceAdminAsync();
        var admin = Fresh("qs-admin");
        (await Cluster.PostAsync($"/api/provinces/{Gansu}/accounts", province, Account(admin, Roles.CountyAdmin, $"county:{Qingshui}"))).Expect(HttpStatusCode.Created);
        var county = await SignInAsync(admin, Password);

        // A county admin: not a county admin, not an overseer, not another county's staff, not the province's accounts.
        (await Cluster.PostAsync($"/api/counties/{Qingshui}/accounts", county, Account(Fresh("peer"), Roles.CountyAdmin))).Expect(HttpStatusCode.Forbidden);
        (await Cluster.PostAsync($"/api/counties/{Qingshui}/accounts", county, Account(Fresh("up"), Roles.ProvinceOverseer, $"province:{Gansu}")))
            .Expect(HttpStatusCode.Forbidden);
        (await Cluster.PostAsync($"/api/counties/{Longxi}/accounts", county, Account(Fresh("other"), Roles.Display))).Expect(HttpStatusCode.Forbidden);
        (await Cluster.PostAsync($"/api/counties/{Qingshui}/accounts", county, Account(Fresh("other"), Roles.Display, $"county:{Longxi}"))).Expect(HttpStatusCode.Forbidden);
        (await Cluster.PostAsync($"/api/provinces/{Gansu}/accounts", county, Account(Fresh("up"), Roles.ProvinceOverseer))).Expect(HttpStatusCode.Forbidden);
        (await Cluster.GetAsync($"/api/provinces/{Gansu}/accounts", county)).Expect(HttpStatusCode.Forbidden);

        // A province admin: its own province only, and never a province admin (the bootstrap command makes those).
        (await Cluster.PostAsync($"/api/provinces/{Gansu}/accounts", province, Account(Fresh("yn"), Roles.CountyAdmin, "county:530102"))).Expect(HttpStatusCode.Forbidden);
        (await Cluster.PostAsync("/api/provinces/530000/accounts", province, Account(Fresh("yn"), Roles.ProvinceOverseer, "province:530000"))).Expect(HttpStatusCode.Forbidden);
        (await Cluster.PostAsync($"/api/provinces/{Gansu}/accounts", province, Account(Fresh("peer"), Roles.ProvinceAdmin))).Expect(HttpStatusCode.Forbidden);
        (await Cluster.PostAsync($"/api/provinces/{Gansu}/accounts", province, Account(Fresh("staff"), Roles.StationStaff, $"county:{Qingshui}", "QS-01")))
            .Expect(HttpStatusCode.Forbidden);
        // An overseer made by the province reads the comparison and no account.
        var overseer = Fresh("overseer");
        (await Cluster.PostAsync($"/api/provinces/{Gansu}/accounts", province, Account(overseer, Roles.ProvinceOverseer))).Expect(HttpStatusCode.Created);
        var overseerToken = await SignInAsync(overseer, Password);
        (await Cluster.GetAsync($"/api/provinces/{Gansu}/comparison", overseerToken)).Expect(HttpStatusCode.OK);
        (await Cluster.GetAsync($"/api/provinces/{Gansu}/accounts", overseerToken)).Expect(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Five_failures_in_a_row_lock_the_account_whatever_the_password_and_ending_it_ends_its_tokens()
    {
        var province = await ProvinceAdminAsync();
        var user = Fresh("screen");
        (await Cluster.PostAsync($"/api/provinces/{Gansu}/accounts", province, Account(user, Roles.Display, $"province:{Gansu}"))).Expect(HttpStatusCode.Created);
        var token = await SignInAsync(user, Password);
        (await Cluster.GetAsync($"/api/provinces/{Gansu}/trend?figure=orgCoverage", token)).Expect(HttpStatusCode.OK);

        var wrong = new JsonObject { ["user"] = user, ["password"] = "not-the-password" };
        for (var i = 1; i < Accounts.FailuresToLock; i++)
            (await Cluster.PostAsync("/api/auth/token", null, wrong.DeepClone())).Expect(HttpStatusCode.Unauthorized);
        (await Cluster.PostAsync("/api/auth/token", null, wrong.DeepClone())).Expect((HttpStatusCode)423);
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/token")
               { Content = new StringContent(new JsonObject { ["user"] = user, ["password"] = Password }.ToJsonString(), System.Text.Encoding.UTF8, "application/json") })
        {
            using var locked = await Cluster.Http.SendAsync(request);
            Assert.Equal((HttpStatusCode)423, locked.StatusCode);
            var retry = locked.Headers.RetryAfter?.Delta ?? TimeSpan.Zero;
            Assert.InRange(retry.TotalSeconds, Accounts.LockFor.TotalSeconds - 60, Accounts.LockFor.TotalSeconds);
        }
        // An unknown name is refused like a wrong password, never locked and never told apart.
        (await Cluster.PostAsync("/api/auth/token", null, new JsonObject { ["user"] = Fresh("nobody"), ["password"] = Password })).Expect(HttpStatusCode.Unauthorized);

        // The token signed in before the lock still works until the account is ended.
        (await Cluster.GetAsync($"/api/provinces/{Gansu}/trend?figure=orgCoverage", token)).Expect(HttpStatusCode.OK);
        (await Cluster.SendAsync(HttpMethod.Delete, $"/api/provinces/{Gansu}/accounts/{user}", province)).Expect(HttpStatusCode.NoContent);
        (await Cluster.GetAsync($"/api/provinces/{Gansu}/trend?figure=orgCoverage", token)).Expect(HttpStatusCode.Unauthorized);
        var ended = (await Cluster.GetAsync($"/api/provinces/{Gansu}/accounts", province)).Expect(HttpStatusCode.OK).Json.AsArray()
            .Single(a => (string)a!["user"]! == user)!;
        Assert.NotNull((string?)ended["endedAt"]);
        (await Cluster.SendAsync(HttpMethod.Delete, $"/api/provinces/{Gansu}/accounts/{user}", province)).Expect(HttpStatusCode.NotFound);
    }
}
