using Beacon.Gateway;
using Beacon.Gateway.Security;
using Beacon.Hosting;

return await BeaconHost.RunAsync("gateway", async () =>
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

    // `token --role … --scope …` prints a signed token and exits without starting the web host.
    if (Tokens.RunCommand(args, builder.Configuration, Console.Out, Console.Error) is { } exitCode) return exitCode;
    // `account --user … --role …` creates an account through the running cluster (the first administrators) and exits.
    if (await AccountCommand.RunAsync(args, builder.Configuration, Console.In, Console.Out, Console.Error) is { } accountExit) return accountExit;

    builder.AddBeaconGateway();
    var app = builder.Build();
    app.MapBeacon();
    await app.RunAsync();
    return 0;
});
