using Beacon.Gateway.Cluster;
using Beacon.Hosting;

namespace Beacon.Gateway.Security;

/// <summary>
/// <c>account --user NAME --role ROLE [--scope S] [--station ID] [--name DISPLAY] [--password-file F] [--if-absent]</c>,
/// the password in the file or on standard input (its first line): creates an account as the system, through the running cluster. It is how the first province and
/// platform administrators come to be; after them, accounts are made through the API by those who manage them.
/// </summary>
public static class AccountCommand
{
    public static async Task<int?> RunAsync(string[] args, IConfiguration configuration, TextReader input, TextWriter output, TextWriter error)
    {
        if (args is not ["account", ..]) return null;
        string? Arg(string name) => CommandLine.Value(args, name);
        var user = Arg("--user");
        var role = Arg("--role");
        var scopeText = Arg("--scope");
        var scope = Scope.Parse(scopeText);
        if (user is null || role is null || scopeText is not null && scope is null)
        {
            error.WriteLine("usage: account --user NAME --role ROLE [--scope county:NNNNNN|prefecture:NNNN00|province:NN0000] [--station ID] [--name DISPLAY] [--password-file F] [--if-absent]");
            error.WriteLine("  the password is the first line of the file, or of standard input; a province-admin takes a province scope, a platform-admin none");
            return 2;
        }
        string password;
        try
        {
            password = (Arg("--password-file") is { } file ? File.ReadLines(file).FirstOrDefault() : await input.ReadLineAsync())?.TrimEnd('\r') ?? "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"account: {e.Message}");
            return 2;
        }
        var spec = new AccountSpec(Accounts.Key(user), Arg("--name") ?? Accounts.Key(user), role, scope, Arg("--station"));
        if (Accounts.Check(spec, password) is { Count: > 0 } problems)
        {
            foreach (var (field, whys) in problems) error.WriteLine($"account: {field}: {string.Join("; ", whys.Select(w => w.En))}");
            return 2;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Configuration = (ConfigurationManager)configuration, DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        try
        {
            var membership = GatewayExtensions.Membership(configuration);
            builder.UseOrleansClient(client => client.UseBeaconCluster(configuration, membership));
        }
        catch (BeaconConfigurationException e)
        {
            error.WriteLine($"account: {e.Message}");
            return BeaconHost.ConfigurationExitCode;
        }
        using var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.StartAsync(timeout.Token);
        try
        {
            var grain = host.Services.GetRequiredService<IClusterClient>().GetGrain<IAccountGrain>(spec.User);
            if (args.Contains("--if-absent") && await grain.GetAsync() is { EndedAt: null })
            {
                output.WriteLine($"account {spec.User} exists already");
                return 0;
            }
            var result = await grain.CreateAsync(spec, password, Actor.System("bootstrap"));
            if (!result.Succeeded)
            {
                foreach (var (field, whys) in result.Errors ?? new Dictionary<string, Said[]>())
                    error.WriteLine($"account: {field}: {string.Join("; ", whys.Select(w => w.En))}");
                return 2;
            }
            output.WriteLine($"account {spec.User} created ({role}{(scope is null ? "" : $", {scope}")})");
            return 0;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
