namespace Beacon.Grains.Entities;

/// <summary>How long a register entity that nobody calls stays in a silo's memory.</summary>
internal static class EntityActivations
{
    /// <summary>
    /// An import or a roster load wakes thousands of entities at once that are then not called again for days. Kept for
    /// Orleans' default collection age, they fill the silo's heap, and every full collection of that heap runs long and
    /// takes a core while it runs. Waking an entity again costs one read of its row.
    /// </summary>
    public const double IdleMinutes = 2;
}
