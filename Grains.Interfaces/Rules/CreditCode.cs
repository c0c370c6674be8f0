namespace Beacon.Rules;

/// <summary>
/// The 18-character unified social credit code (统一社会信用代码) and its check character, GB 32100-2015:
/// 1 registration authority, 1 kind, 6 division code, 9 organisation code, 1 check character, drawn from
/// the digits and 21 capital letters (no I, O, Z, S, V, which read like digits).
/// </summary>
public static class CreditCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>Null when the code is valid, otherwise why it is not.</summary>
    public static Said? Check(string? code)
    {
        if (string.IsNullOrWhiteSpace(code)) return Validation.Required;
        if (code.Length != 18) return new($"须为 18 位，实为 {code.Length} 位", $"must be 18 characters, not {code.Length}");
        for (var i = 0; i < 18; i++)
        {
            if (Alphabet.IndexOf(code[i]) < 0)
                return new($"第 {i + 1} 位“{code[i]}”不允许（只能是数字和除 I、O、Z、S、V 外的大写字母）",
                    $"character {i + 1} '{code[i]}' is not allowed (digits and capital letters except I, O, Z, S, V)");
        }
        if (!code.AsSpan(2, 6).ContainsOnlyDigits())
            return new("第 3–8 位须为 6 位行政区划代码", "characters 3-8 must be the 6-digit division code");
        var expected = CheckCharacter(code.AsSpan(0, 17));
        return code[17] == expected ? null
            : new($"校验码为“{code[17]}”，应为“{expected}”", $"check character is '{code[17]}' but should be '{expected}'");
    }

    public static bool IsValid(string? code) => Check(code) is null;

    /// <summary>The check character for the first 17 characters.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += Alphabet.IndexOf(first17[i]) * Weights[i];
        return Alphabet[(31 - sum % 31) % 31];
    }

    private static bool ContainsOnlyDigits(this ReadOnlySpan<char> span)
    {
        foreach (var c in span) if (!char.IsAsciiDigit(c)) return false;
        return true;
    }
}
