using Beacon.Grains.Entities;
using Beacon.Grains.Hosting;
using Beacon.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Beacon.Tests;

/// <summary>The connection string a silo uses: the operator's settings win, the defaults fill what they leave out.</summary>
public sealed class HostingTests
{
    private static NpgsqlConnectionStringBuilder Used(string connectionString) => new(BeaconOptions.ConnectionString(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Beacon"] = connectionString }).Build()));

    [Fact]
    public void A_plain_connection_string_gets_a_capped_pool_prepared_statements_and_no_reset_on_close()
    {
        var used = Used("Host=db;Database=beacon;Username=beacon");
        Assert.Equal(("db", "beacon"), (used.Host, used.Database));
        Assert.Equal(BeaconOptions.DefaultMaxPoolSize, used.MaxPoolSize);
        Assert.Equal(BeaconOptions.DefaultMaxAutoPrepare, used.MaxAutoPrepare);
        Assert.True(used.NoResetOnClose);
    }

    [Theory]
    [InlineData("Host=db;Maximum Pool Size=50;Max Auto Prepare=0;No Reset On Close=false")]
    [InlineData("Host=db;maxpoolsize=50;MAXAUTOPREPARE=0;NoResetOnClose=false")]
    public void The_operators_pool_size_preparation_and_reset_are_kept(string connectionString)
    {
        var used = Used(connectionString);
        Assert.Equal(50, used.MaxPoolSize);
        Assert.Equal(0, used.MaxAutoPrepare);
        Assert.False(used.NoResetOnClose);
    }

    [Fact]
    public void A_minimum_pool_size_alone_still_gets_the_cap()
    {
        var used = Used("Host=db;Minimum Pool Size=2");
        Assert.Equal(2, used.MinPoolSize);
        Assert.Equal(BeaconOptions.DefaultMaxPoolSize, used.MaxPoolSize);
    }

    [Fact]
    public void A_missing_connection_string_is_an_error_that_names_it()
    {
        var e = Assert.Throws<Beacon.Hosting.BeaconConfigurationException>(() => Used(""));
        Assert.Contains("ConnectionStrings:Beacon", e.Message);
    }
}

/// <summary>The cluster settings both hosts read: a wrong one is named before anything starts.</summary>
public sealed class ClusterSettingsTests
{
    private static Beacon.Hosting.BeaconClusterOptions From(params (string Key, string Value)[] settings) =>
        Beacon.Hosting.BeaconClusterOptions.From(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create($"Beacon:Cluster:{s.Key}", (string?)s.Value))).Build());

    [Fact]
    public void The_defaults_are_one_local_silo_on_loopback()
    {
        var options = From();
        Assert.Equal(("beacon", "beacon", 11111, 30000), (options.ClusterId, options.ServiceId, options.SiloPort, options.GatewayPort));
        Assert.Equal(System.Net.IPAddress.Loopback, options.Advertised);
    }

    [Fact]
    public void A_silo_listening_on_every_address_must_say_where_it_is_reached()
    {
        var e = Assert.Throws<Beacon.Hosting.BeaconConfigurationException>(() => From(("ListenAddress", "0.0.0.0")));
        Assert.Contains("Beacon:Cluster:AdvertisedAddress", e.Message);
        Assert.Equal("10.1.2.3", From(("ListenAddress", "0.0.0.0"), ("AdvertisedAddress", "10.1.2.3")).Advertised.ToString());
    }

    [Theory]
    [InlineData("ListenAddress", "silo.example", "Beacon:Cluster:ListenAddress")]
    [InlineData("SiloPort", "70000", "Beacon:Cluster:SiloPort")]
    [InlineData("GatewayPort", "eleven", "Beacon:Cluster")]
    [InlineData("ClusterId", " ", "Beacon:Cluster:ClusterId")]
    public void A_wrong_setting_is_named(string key, string value, string named)
    {
        var e = Assert.Throws<Beacon.Hosting.BeaconConfigurationException>(() => From((key, value)));
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void Only_the_very_certificate_is_the_same_not_one_made_alike()
    {
        using var installation = Beacon.Hosting.ClusterCertificate.Create();
        using var copy = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(installation.RawData);
        using var other = Beacon.Hosting.ClusterCertificate.Create();
        Assert.True(Beacon.Hosting.ClusterCertificate.IsSame(copy, installation));
        Assert.Equal(installation.Subject, other.Subject);
        Assert.False(Beacon.Hosting.ClusterCertificate.IsSame(other, installation));
    }
}

/// <summary>How long an idle register entity stays in a silo's memory, as the silo is configured.</summary>
public sealed class EntityCollectionTests
{
    private static GrainCollectionOptions Configured(string? idle)
    {
        var settings = new Dictionary<string, string?>();
        if (idle is not null) settings[EntityActivations.IdleSetting] = idle;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var host = Host.CreateDefaultBuilder().UseOrleans(silo => silo.UseLocalhostClustering().AddBeaconGrains(configuration)).Build();
        return host.Services.GetRequiredService<IOptions<GrainCollectionOptions>>().Value;
    }

    [Theory]
    [InlineData(null, 2)]
    [InlineData("00:05:00", 5)]
    public void Every_register_entity_is_collected_after_its_idle_time_and_other_grains_keep_orleans_default(string? idle, int minutes)
    {
        var options = Configured(idle);
        // Every register but issues (a grain of their own, with a workflow) is a register entity.
        Assert.Equal(Registers.All.Count - 1, EntityActivations.GrainClasses.Length);
        Assert.Contains(typeof(EnterpriseGrain), EntityActivations.GrainClasses);
        foreach (var grain in EntityActivations.GrainClasses)
            Assert.Equal(TimeSpan.FromMinutes(minutes), options.ClassSpecificCollectionAge[grain.FullName!]);
        Assert.DoesNotContain(typeof(Beacon.Grains.CountyGrain).FullName!, options.ClassSpecificCollectionAge.Keys);
    }

    [Fact]
    public void An_idle_time_under_a_minute_is_refused_naming_the_setting()
    {
        var e = Assert.Throws<BeaconConfigurationException>(() => Configured("00:00:30"));
        Assert.Contains(EntityActivations.IdleSetting, e.Message);
    }
}
