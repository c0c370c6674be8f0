namespace Beacon.Grains;

public static class BeaconStorage
{
    /// <summary>The one grain storage every Beacon grain persists through.</summary>
    public const string Name = "beacon";
}
