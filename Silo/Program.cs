using Beacon.Grains.Demo;
using Beacon.Grains.Hosting;

// appsettings.json sits beside the binary: run.sh starts the silo from the repo root.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.UseOrleans(silo => silo.AddBeacon(builder.Configuration));
builder.Services.AddBeaconDemo(builder.Configuration);
await builder.Build().RunAsync();
