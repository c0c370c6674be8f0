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
    public void A_plain_connection_string_gets_a_capped_pool_and_prepared_statements()
    {
        var used = Used("Host=db;Database=beacon;Username=beacon");
        Assert.Equal(("db", "beacon"), (used.Host, used.Database));
        Assert.Equal(BeaconOptions.DefaultMaxPoolSize, used.MaxPoolSize);
        Assert.Equal(BeaconOptions.DefaultMaxAutoPrepare, used.MaxAutoPrepare);
    }

    [Fact]
    public void The_operators_pool_size_and_preparation_are_kept()
    {
        var used = Used("Host=db;Maximum Pool Size=50;Max Auto Prepare=0");
        Assert.Equal(50, used.MaxPoolSize);
        Assert.Equal(0, used.MaxAutoPrepare);
    }

    [Fact]
    public void A_missing_connection_string_is_an_error_that_names_it()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Used(""));
        Assert.Contains("ConnectionStrings:Beacon", e.Message);
    }
}
