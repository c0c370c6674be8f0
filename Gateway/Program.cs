using Beacon.Gateway;
using Beacon.Gateway.Security;
using Beacon.Hosting;

return await BeaconHost.RunAsync("gateway", async () =>
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

    // `token --role … --scope …` prints a signed token and exits without starting the web host.
    if (Tokens.RunCommand(args, builder.Configuration, Console.Out, Console.Error) is { } exitCode) return exitCode;

    builder.AddBeaconGateway();
    var app = builder.Build();
    app.MapBeacon();
    await app.RunAsync();
    return 0;
});
