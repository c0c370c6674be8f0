namespace Beacon;

/// <summary>
/// What one child entity adds to its county's figures and index, stamped with the child's version; each register
/// has its own (<see cref="Register{TProfile}.Contribute"/>). The county keeps the last one per child and replaces it,
/// so a repeated or late report changes nothing. A removed child reports an empty contribution with a higher version
/// rather than vanishing, so a late report from before its removal cannot bring it back.
/// </summary>
[GenerateSerializer, Immutable]
public abstract record Contribution(
    [property: Id(0)] string Id,
    [property: Id(1)] long Version,
    [property: Id(2)] bool Removed);
