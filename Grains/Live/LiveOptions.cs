namespace Beacon.Grains.Live;

/// <summary>How often figures go out and how far behind derived state may be written. Section <c>Beacon:Live</c>.</summary>
public sealed class LiveOptions
{
    /// <summary>Screens need a few updates a second at most: a county or province publishes at most this often.</summary>
    public TimeSpan PublishInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Summaries can be rebuilt, so they are written behind the entities, at most this often.</summary>
    public TimeSpan WriteBehind { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Whether a county or province writes its derived state when the silo shuts down. Off with in-memory storage,
    /// which ends with the process anyway: Orleans' memory-storage grains are already going, and every write failed.
    /// </summary>
    public bool WriteOnShutdown { get; set; } = true;

    /// <summary>A gateway's subscription lapses unless renewed within this time, so a dead gateway is forgotten.</summary>
    public TimeSpan ObserverExpiry { get; set; } = TimeSpan.FromMinutes(2);
}
