using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Beacon.TestSupport;

/// <summary>Ports on 127.0.0.1 for the processes a test or the bench starts.</summary>
public static class Loopback
{
    private static readonly ConcurrentDictionary<int, byte> Handed = new();

    /// <summary>A TCP port nothing listens on now, never the same one twice in this process.</summary>
    public static int FreePort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            if (Handed.TryAdd(port, 0)) return port;
        }
    }
}

/// <summary>A silo's two ports: silo-to-silo, and the one gateways connect to.</summary>
public sealed record SiloPorts(int Silo, int Gateway)
{
    public static SiloPorts Free() => new(Loopback.FreePort(), Loopback.FreePort());
}
