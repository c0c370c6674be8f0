using Beacon.Grains.Demo;
using Beacon.Grains.Hosting;
using Beacon.Hosting;

return await BeaconHost.RunAsync("silo", async () =>
{
    // appsettings.json sits beside the binary: run.sh starts the silo from the repo root.
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });

    // `new-certificate` writes the installation's cluster certificate and exits (run.sh calls it once).
    if (ClusterCertificate.RunCommand(args, builder.Configuration, Console.Out) is { } exitCode) return exitCode;

    builder.UseOrleans(silo => silo.AddBeacon(builder.Configuration));
    builder.Services.AddBeaconDemo(builder.Configuration);
    await builder.Build().RunAsync();
    return 0;
});
