using Microsoft.AspNetCore.Builder;
using Beacon.Grains.Demo;
using Beacon.Grains.Hosting;
using Beacon.Hosting;
using Beacon.Silo;
using Orleans.Dashboard;

return await BeaconHost.RunAsync("silo", async () =>
{
    // appsettings.json sits beside the binary: run.sh starts the silo from the repo root.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

    // `new-certificate` writes the installation's cluster certificate and exits (run.sh calls it once).
    if (ClusterCertificate.RunCommand(args, builder.Configuration, Console.Out) is { } exitCode) return exitCode;

    // The dashboard's grains and statistics on every silo; its pages are the gateway's, behind a platform administrator's sign-in.
    builder.UseOrleans(silo => silo.AddBeacon(builder.Configuration).AddActivityPropagation().AddDashboard());
    builder.Services.AddBeaconDemo(builder.Configuration);
    builder.AddSiloWeb();
    var app = builder.Build();
    app.MapSiloWeb();
    await app.RunAsync();
    return 0;
});
