using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace RoboDJ.KeyRotation.Journal;

/// <summary>
/// Names one rotation, e.g. 20261130T041500Z-ab12: sortable by time, unique enough for two runs in the same second,
/// and safe as a folder name.
/// </summary>
public readonly partial record struct RotationId
{
    RotationId(string value) => Value = value;

    public string Value { get; }

    public static RotationId New(DateTimeOffset now)
    {
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2));
        return new RotationId(now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + suffix);
    }

    public static RotationId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not a rotation id; expected e.g. 20261130T041500Z-ab12.");

    public static bool TryParse(string? text, out RotationId id)
    {
        id = default;
        if (text is null || !Pattern().IsMatch(text)) return false;
        id = new RotationId(text);
        return true;
    }

    /// <summary>When the rotation began, from the id itself.</summary>
    public DateTimeOffset StartedAt =>
        DateTimeOffset.ParseExact(Value[..16], "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override string ToString() => Value ?? "";

    [GeneratedRegex("^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{4}$")]
    private static partial Regex Pattern();
}
