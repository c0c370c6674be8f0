using System.Net;
using Beacon.IntegrationTests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using static Beacon.IntegrationTests.Infrastructure.InMemoryClusterFixture;

namespace Beacon.IntegrationTests;

/// <summary>
/// <c>dotnet Beacon.Gateway.dll token …</c> prints a token the gateway accepts; without a usable signing key, it and
/// the gateway itself say so in one line and exit.
/// </summary>
[Collection(InMemoryClusterCollection.Name)]
public sealed class TokenCommandTests(InMemoryClusterFixture fixture)
{
    private static async Task<(int ExitCode, string Output, string Described)> RunAsync(params string[] args)
    {
        await using var command = await ExitedAsync(Start(args, new() { ["Beacon__Auth__SigningKey"] = BeaconProcesses.SigningKey }));
        return (command.ExitCode, command.StandardOutput, command.Describe());
    }

    private static BeaconProcess Start(string[] args, Dictionary<string, string?> environment)
    {
        var env = BeaconProcesses.CommonEnvironment();
        foreach (var (key, value) in environment) env[key] = value;
        return BeaconProcess.Start(args is ["token", ..] ? "token command" : "gateway", BeaconProcesses.GatewayDll, args, env);
    }

    private static async Task<BeaconProcess> ExitedAsync(BeaconProcess process)
    {
        Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(60)), $"{process.Name} did not exit within 60 s.\n{process.Describe()}");
        return process;
    }

    private static readonly string[] CountyAdmin = ["token", "--role", "county-admin", "--scope", $"county:{Qingshui}"];

    /// <summary>An installation directory with a signing-key file as given (null: none; a directory: unreadable).</summary>
    private static string Home(string? key, bool unreadable = false)
    {
        var home = BeaconProcesses.NewDirectory("key-home");
        var file = Path.Combine(home, "signing-key");
        if (unreadable) Directory.CreateDirectory(file);
        else if (key is not null) File.WriteAllText(file, key + "\n");
        return home;
    }

    public static TheoryData<string, string?, bool, string> BadKeys => new()
    {
        { "no key anywhere", null, false, "no JWT signing key" },
        { "a short key", "too-short-to-sign", false, "needs at least 32" },
        { "an unreadable key file", null, true, "cannot read the JWT signing key file" },
    };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task Without_a_usable_signing_key_the_token_command_says_so_in_one_line(string problem, string? key, bool unreadable, string said)
    {
        await using var command = await ExitedAsync(Start(CountyAdmin, new() { ["BEACON_HOME"] = Home(key, unreadable) }));
        Assert.True(command.StandardOutput.Trim().Length == 0, $"{problem}: the token command printed a token anyway.\n{command.Describe()}");
        ConfigurationAssert.OneLineAndExit(command, said);
    }

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task Without_a_usable_signing_key_the_gateway_says_so_in_one_line_and_does_not_start(string problem, string? key, bool unreadable, string said)
    {
        var env = new Dictionary<string, string?> { ["BEACON_HOME"] = Home(key, unreadable), ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{BeaconProcesses.FreePort()}" };
        await using var gateway = await ExitedAsync(Start([], env));
        Assert.True(gateway.ExitCode != 0, $"{problem}: the gateway ran.\n{gateway.Describe()}");
        ConfigurationAssert.OneLineAndExit(gateway, said);
    }

    [Fact]
    public async Task The_token_command_signs_with_the_installations_key_file()
    {
        await using var command = await ExitedAsync(Start(CountyAdmin, new() { ["BEACON_HOME"] = Home(BeaconProcesses.SigningKey) }));
        Assert.True(command.ExitCode == 0, command.Describe());
        (await fixture.Cluster.GetAsync($"/api/counties/{Qingshui}/summary", command.StandardOutput.Trim())).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_token_command_refuses_a_lifetime_beyond_the_cap_in_one_line()
    {
        var (exitCode, output, described) = await RunAsync([.. CountyAdmin, "--hours", "876000"]);
        Assert.True(exitCode != 0 && output.Trim().Length == 0, $"--hours 876000 gave exit code {exitCode} and '{output}'\n{described}");
        Assert.Contains("longer than the longest lifetime allowed, 720 h (Beacon:Auth:MaxTokenLifetime)", described);

        var (ok, token, okDescribed) = await RunAsync([.. CountyAdmin, "--hours", "24"]);
        Assert.True(ok == 0, okDescribed);
        var jwt = new JsonWebToken(token.Trim());
        Assert.Equal(TimeSpan.FromHours(24), jwt.ValidTo - jwt.IssuedAt);
    }

    [Fact]
    public async Task The_token_command_prints_a_token_the_gateway_accepts()
    {
        var (exitCode, output, described) = await RunAsync("token", "--role", "county-admin", "--scope", $"county:{Qingshui}");
        Assert.True(exitCode == 0, $"exit code {exitCode}\n{described}");
        var token = output.Trim();
        Assert.True(token.Count(c => c == '.') == 2 && !token.Contains('\n'), $"not one JWT on stdout: '{output}'\n{described}");

        var summary = (await fixture.Cluster.GetAsync($"/api/counties/{Qingshui}/summary", token)).Expect(HttpStatusCode.OK).Object;
        Assert.Equal(Qingshui, summary["county"]!.GetValue<string>());
        // Its scope is county:620521 and nothing more.
        (await fixture.Cluster.GetAsync($"/api/counties/{Longxi}/summary", token)).Expect(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_token_command_mints_a_province_admin_and_a_prefecture_overseer()
    {
        var (exitCode, output, described) = await RunAsync("token", "--role", "province-admin", "--scope", $"province:{Gansu}");
        Assert.True(exitCode == 0, $"exit code {exitCode}\n{described}");
        var admin = output.Trim();
        (await fixture.Cluster.GetAsync($"/api/provinces/{Gansu}/counties", admin)).Expect(HttpStatusCode.OK);
        (await fixture.Cluster.GetAsync($"/api/counties/{Qingshui}", admin)).Expect(HttpStatusCode.OK);
        (await fixture.Cluster.GetAsync($"/api/counties/{Qingshui}/summary", admin)).Expect(HttpStatusCode.Forbidden);

        (exitCode, output, described) = await RunAsync("token", "--role", "province-overseer", "--scope", "prefecture:621100");
        Assert.True(exitCode == 0, $"exit code {exitCode}\n{described}");
        var overseer = output.Trim();
        (await fixture.Cluster.GetAsync("/api/prefectures/621100/comparison", overseer)).Expect(HttpStatusCode.OK);
        (await fixture.Cluster.GetAsync($"/api/counties/{Longxi}/summary", overseer)).Expect(HttpStatusCode.OK);
        (await fixture.Cluster.GetAsync($"/api/counties/{Qingshui}/summary", overseer)).Expect(HttpStatusCode.Forbidden);
        (await fixture.Cluster.GetAsync($"/api/provinces/{Gansu}/comparison", overseer)).Expect(HttpStatusCode.Forbidden);
    }

    public static TheoryData<string, string> ScopesARoleDoesNotTake => new()
    {
        { "province-admin", $"county:{Qingshui}" },
        { "province-admin", "prefecture:621100" },
        { "province-overseer", $"county:{Qingshui}" },
        { "county-admin", "prefecture:621100" },
        { "province-overseer", "prefecture:620000" },
    };

    [Theory]
    [MemberData(nameof(ScopesARoleDoesNotTake))]
    public async Task The_token_command_refuses_a_scope_the_role_does_not_take_and_says_which_do(string role, string scope)
    {
        var (exitCode, output, described) = await RunAsync("token", "--role", role, "--scope", scope);
        Assert.True(exitCode == 2 && output.Trim().Length == 0, $"{role} {scope}: exit code {exitCode}, output '{output}'\n{described}");
        Assert.Contains("--role county-admin|station-staff|province-overseer|province-admin|display|platform-admin --scope county:NNNNNN|prefecture:NNNN00|province:NN0000", described);
        Assert.Contains("province-overseer a prefecture or province scope", described);
    }

    [Fact]
    public async Task The_token_command_refuses_an_unknown_role()
    {
        var (exitCode, _, described) = await RunAsync("token", "--role", "emperor", "--scope", $"county:{Qingshui}");
        Assert.True(exitCode != 0, $"exit code {exitCode} for an unknown role\n{described}");
    }
}
