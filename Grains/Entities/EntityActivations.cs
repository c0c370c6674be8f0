using Beacon.Hosting;
using Microsoft.Extensions.Configuration;

namespace Beacon.Grains.Entities;

/// <summary>
/// How long a register entity that nobody calls stays in a silo's memory: <c>Beacon:Grains:EntityIdle</c> (a TimeSpan,
/// <see cref="DefaultIdle"/> unless set; Orleans' own minimum is a minute).
/// </summary>
public static class EntityActivations
{
    public const string IdleSetting = "Beacon:Grains:EntityIdle";

    /// <summary>
    /// An import or a roster load wakes thousands of entities at once that are then not called again for days. Kept for
    /// Orleans' default collection age, they fill the silo's heap, and every full collection of that heap runs long and
    /// takes a core while it runs. Waking an entity again costs one read of its row.
    /// </summary>
    public static readonly TimeSpan DefaultIdle = TimeSpan.FromMinutes(2);

    /// <summary>Every register entity's grain class (Orleans keys a class's collection age by its full name).</summary>
    public static readonly Type[] GrainClasses = [.. typeof(RegisterGrain<>).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && IsEntity(t))];

    public static TimeSpan IdleFor(IConfiguration configuration)
    {
        var idle = configuration.GetValue(IdleSetting, DefaultIdle);
        if (idle < TimeSpan.FromMinutes(1))
            throw new BeaconConfigurationException($"{IdleSetting} is {idle}; Orleans collects an idle grain after a minute at the least");
        return idle;
    }

    private static bool IsEntity(Type type)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(RegisterGrain<>)) return true;
        return false;
    }
}
