namespace Beacon;

/// <summary>
/// A sentence in the two languages Beacon answers in: Chinese, which its users read and which it answers in unless
/// asked otherwise, and English, on request (<c>Accept-Language: en</c>). Rules say everything they refuse this way,
/// so that the gateway picks the language and no message is written twice in different places.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Said([property: Id(0)] string Zh, [property: Id(1)] string En)
{
    public string In(bool english) => english ? En : Zh;

    public override string ToString() => Zh;
}
