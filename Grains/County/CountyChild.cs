namespace Beacon.Grains;

/// <summary>
/// What a grain keyed "{county}/{id}" (a register entity or an issue) asks for on every change: the two parts of its
/// key and a reference to its county. Made once per activation, because Orleans resolves a reference's interface by
/// reflection on every GetGrain (a few microseconds a call).
/// </summary>
internal sealed class CountyChild(IAddressable grain, IGrainFactory grains)
{
    private (string County, string Id)? _key;
    private ICountyGrain? _countyGrain;

    private (string County, string Id) Key => _key ??= Places.SplitTenantKey(grain.GetPrimaryKeyString());
    public string County => Key.County;
    public string Id => Key.Id;
    public ICountyGrain CountyGrain => _countyGrain ??= grains.GetGrain<ICountyGrain>(County);
}
