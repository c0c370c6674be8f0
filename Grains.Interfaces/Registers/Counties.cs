namespace Beacon;

/// <summary>A county tenant's profile and the settings its figures depend on.</summary>
[GenerateSerializer, Immutable]
public sealed record CountyProfile(
    [property: Id(0)] string Code,
    [property: Id(1)] string Name,
    [property: Id(2)] string PrefectureName,
    [property: Id(3)] string ProvinceName,
    [property: Id(4)] double LinkageTarget = 0.7,
    [property: Id(5)] int OverdueDays = 30,
    [property: Id(6)] bool AffiliatedCountsAsCovered = false);
