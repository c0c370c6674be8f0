using Beacon.Grains.Hosting;
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
