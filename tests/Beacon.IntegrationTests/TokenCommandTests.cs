using System.Net;
using Beacon.IntegrationTests.Infrastructure;
using static Beacon.IntegrationTests.Infrastructure.InMemoryClusterFixture;

namespace Beacon.IntegrationTests;

/// <summary><c>dotnet Beacon.Gateway.dll token …</c> prints a token the gateway accepts.</summary>
[Collection(InMemoryClusterCollection.Name)]
public sealed class TokenCommandTests(InMemoryClusterFixture fixture)
{
    private static async Task<(int ExitCode, string Output, string Described)> RunAsync(params string[] args)
    {
        var env = BeaconProcesses.CommonEnvironment();
        env["Beacon__Auth__SigningKey"] = BeaconProcesses.SigningKey;
        await using var command = BeaconProcess.Start("token command", BeaconProcesses.GatewayDll, args, env);
        var exited = await command.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exited, $"the token command did not exit within 60 s.\n{command.Describe()}");
        return (command.ExitCode, command.StandardOutput, command.Describe());
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
    public async Task The_token_command_refuses_an_unknown_role()
    {
        var (exitCode, _, described) = await RunAsync("token", "--role", "emperor", "--scope", $"county:{Qingshui}");
        Assert.True(exitCode != 0, $"exit code {exitCode} for an unknown role\n{described}");
    }
}
