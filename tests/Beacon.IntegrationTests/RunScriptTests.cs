using System.Diagnostics;
using System.Net;
using Beacon.Gateway.Security;
using Beacon.IntegrationTests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Xunit.Abstractions;

namespace Beacon.IntegrationTests;

/// <summary>./run.sh as a person runs it on one machine: its secrets, its tokens, and what it does when a process dies.</summary>
[Collection(RunScriptCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // a bash script, and Unix file modes
public sealed class RunScriptTests(ITestOutputHelper output)
{
    /// <summary>The key that Gateway/appsettings.Development.json carried, which anyone could read in the repository.</summary>
    private const string CommittedKey = "beacon-development-signing-key-not-for-production-use-0001";

    private const string Summary = $"/api/counties/{RunScript.County}/summary";

    [Fact]
    public async Task Run_sh_signs_with_a_key_of_its_own_installation_and_the_committed_key_signs_nothing()
    {
        await using var run = RunScript.Start();
        try
        {
            await run.WaitUntilRunningAsync();

            // Its secrets, where only this user can read them.
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(run.Home));
            foreach (var file in new[] { "signing-key", "cluster.pfx", "cluster.pfx.password" })
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(run.Home, file)));
            // In memory, run.sh's gateway is a Development one: the environment that once brought the committed key.
            Assert.Contains("gateway environment: Development", run.Process.StandardOutput);

            var printed = run.PrintedToken("County-admin token");
            Assert.Equal(HttpStatusCode.OK, await run.GetAsync(Summary, printed));
            var jwt = new JsonWebToken(printed);
            Assert.True(jwt.ValidTo - jwt.IssuedAt <= TimeSpan.FromHours(8), $"run.sh printed a token that lives {jwt.ValidTo - jwt.IssuedAt}");

            var forged = Tokens.Issue(new AuthOptions { SigningKey = CommittedKey }, Roles.CountyAdmin, Scope.Parse($"county:{RunScript.County}")!, "anyone");
            Assert.Equal(HttpStatusCode.Unauthorized, await run.GetAsync(Summary, forged));

            // The token command run by hand in the same installation signs with the same key, with nothing else set.
            var env = new Dictionary<string, string?> { ["BEACON_HOME"] = run.Home, ["ASPNETCORE_ENVIRONMENT"] = null, ["Beacon__Auth__SigningKey"] = null };
            await using var command = BeaconProcess.Start("token command", BeaconProcesses.GatewayDll,
                ["token", "--role", "county-admin", "--scope", $"county:{RunScript.County}"], env);
            Assert.True(await command.WaitForExitAsync(TimeSpan.FromSeconds(60)) && command.ExitCode == 0, command.Describe());
            Assert.Equal(HttpStatusCode.OK, await run.GetAsync(Summary, command.StandardOutput.Trim()));

            Assert.True(await run.Process.StopAsync(), "run.sh did not stop within 20 s of SIGTERM");
            Assert.Equal(0, run.Process.ExitCode);
        }
        finally
        {
            output.WriteLine(run.Describe());
        }
    }

    [Fact]
    public async Task Run_sh_says_a_process_died_restarts_it_and_stops_everything_after_three_deaths_in_a_minute()
    {
        // The real silo, started through a wrapper that notes its pid and, once the test says so, crashes at once.
        var state = BeaconProcesses.NewDirectory("run-sh-state");
        await using var run = RunScript.Start(http => new Dictionary<string, string?>
        {
            ["BEACON_SILO_CMD"] = $"echo $$ > '{state}/silo.pid'; if [ -e '{state}/crash' ]; then echo 'simulated crash' >&2; exit 7; fi; " +
                $"exec dotnet '{BeaconProcesses.SiloDll}'",
            // run.sh adds --urls to its own gateway command only.
            ["BEACON_GATEWAY_CMD"] = $"exec dotnet '{BeaconProcesses.GatewayDll}' --urls http://127.0.0.1:{http}",
        });
        try
        {
            await run.WaitUntilRunningAsync();
            var token = run.PrintedToken("County-admin token");
            Assert.Equal(HttpStatusCode.OK, await run.GetAsync(Summary, token));

            KillSilo(state);
            await run.Process.WaitForLineAsync("run.sh: silo exited unexpectedly (killed by SIGKILL)", TimeSpan.FromSeconds(30));
            await run.Process.WaitForLineAsync("run.sh: silo restarted", TimeSpan.FromSeconds(30));
            // The restarted silo loads the demo county again, and the gateway that stayed up finds it.
            Assert.Equal("200", await run.PollAsync(Summary, token, HttpStatusCode.OK, TimeSpan.FromSeconds(90)));

            File.WriteAllText(Path.Combine(state, "crash"), "");
            KillSilo(state);
            await run.Process.WaitForLineAsync("times within 60 s; giving up and stopping everything", TimeSpan.FromSeconds(60));
            Assert.True(await run.Process.WaitForExitAsync(TimeSpan.FromSeconds(40)), "run.sh gave up but did not end");
            Assert.NotEqual(0, run.Process.ExitCode);
            Assert.Contains("run.sh: silo exited unexpectedly (exit code 7)", run.Process.Output);
            Assert.Contains("simulated crash", run.Process.Output);
            Assert.Contains("run.sh: stopping gateway", run.Process.Output);
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => run.GetAsync("/health", null));
        }
        finally
        {
            output.WriteLine(run.Describe());
        }
    }

    private static void KillSilo(string state)
    {
        var pid = int.Parse(File.ReadAllText(Path.Combine(state, "silo.pid")).Trim());
        using var silo = Process.GetProcessById(pid);
        silo.Kill();
        silo.WaitForExit();
    }
}

[CollectionDefinition(Name)]
public sealed class RunScriptCollection
{
    public const string Name = "run.sh";
}
