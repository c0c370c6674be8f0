using Beacon.Rules;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.Tests;

/// <summary>The first 17 characters of a credit code: from the allowed alphabet, with characters 3-8 a division code.</summary>
public sealed record First17(string Value)
{
    public override string ToString() => Value;
}

/// <summary>A valid code and a position with a different allowed character to put there.</summary>
public sealed record OneCharChange(string Code, int Position, char Replacement)
{
    public override string ToString() => $"{Code}[{Position}] -> '{Replacement}'";
}

public static class CreditCodeArbitraries
{
    public const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private const string Digits = "0123456789";

    private static Gen<char> At(int i) => Gen.Elements((i is >= 2 and < 8 ? Digits : Alphabet).ToCharArray());

    private static readonly Gen<First17> First17Gen =
        Gen.CollectToArray(Enumerable.Range(0, 17).Select(At)).Select(cs => new First17(new string(cs)));

    public static Arbitrary<First17> First17() => First17Gen.ToArbitrary();

    public static Arbitrary<OneCharChange> OneCharChange() =>
        (from f in First17Gen
         from position in Gen.Choose(0, 17)
         let code = f.Value + CreditCode.CheckCharacter(f.Value)
         from replacement in Gen.Elements((position is >= 2 and < 8 ? Digits : Alphabet).ToCharArray()).Where(c => c != code[position])
         select new Tests.OneCharChange(code, position, replacement)).ToArbitrary();
}

[Properties(Arbitrary = [typeof(CreditCodeArbitraries)], MaxTest = 500)]
public sealed class CreditCodeProperties
{
    [Property]
    public bool Seventeen_valid_characters_and_their_check_character_make_a_valid_code(First17 first) =>
        CreditCode.IsValid(first.Value + CreditCode.CheckCharacter(first.Value));

    [Property]
    public bool Changing_any_single_character_makes_the_code_invalid(OneCharChange change)
    {
        var chars = change.Code.ToCharArray();
        chars[change.Position] = change.Replacement;
        return CreditCode.IsValid(change.Code) && !CreditCode.IsValid(new string(chars));
    }

    [Property]
    public bool A_character_outside_the_alphabet_anywhere_makes_the_code_invalid(First17 first, PositiveInt at, char bad)
    {
        if (CreditCodeArbitraries.Alphabet.Contains(bad)) return true;
        var chars = (first.Value + CreditCode.CheckCharacter(first.Value)).ToCharArray();
        chars[at.Get % 18] = bad;
        return !CreditCode.IsValid(new string(chars));
    }

    [Fact]
    public void The_published_example_is_valid_and_its_neighbours_are_not()
    {
        Assert.True(CreditCode.IsValid("91350100M000100Y43"));
        Assert.Equal('3', CreditCode.CheckCharacter("91350100M000100Y4"));
        Assert.Contains("check character", CreditCode.Check("91350100M000100Y44")!.En);
        Assert.False(CreditCode.IsValid("91350100m000100Y43")); // lower case is not in the alphabet
        Assert.False(CreditCode.IsValid("913501O0M000100Y43")); // a letter in the division code
        Assert.False(CreditCode.IsValid(null));
        Assert.False(CreditCode.IsValid(""));
    }
}
