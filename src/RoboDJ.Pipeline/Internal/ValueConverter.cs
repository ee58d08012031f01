using System.Globalization;

namespace RoboDJ.Pipeline.Internal;

/// <summary>Turns the text of a parameter value into the member's type; a bad value names its source and the valid ones.</summary>
static class ValueConverter
{
    public static object? Convert(ParameterMember p, IReadOnlyList<string> values, ValueSource source)
    {
        if (p.IsArray)
        {
            var element = p.Type.GetElementType()!;
            var items = values.SelectMany(v => v.Split([',', ' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            var array = Array.CreateInstance(element, items.Count);
            for (var i = 0; i < items.Count; i++) array.SetValue(ConvertOne(p, element, items[i], source), i);
            return array;
        }
        if (values.Count > 1)
            throw new BuildInputException($"{source} takes one value but got {values.Count}: {Show(p, string.Join(" ", values))}.");
        if (values.Count == 0)
        {
            if (p.IsFlag) return true;
            throw new BuildInputException($"{source} needs a value, e.g. {Example(p)}.");
        }
        return ConvertOne(p, p.ValueType, values[0], source);
    }

    static object ConvertOne(ParameterMember p, Type type, string text, ValueSource source)
    {
        if (!p.IsSecret && UrlUserInfo.IsIn(text))
            throw new BuildInputException($"Invalid value {Show(p, text)} for {source}: a URL with user info (user:password@) puts a credential in plain text, " +
                $"so it is refused; {source.Fix(p, "the URL without it")}, and give a password through its own environment variable (--help lists them).");
        if ((p.Attribute.ValidValues ?? p.Check?.ValidValues) is { } allowed)
        {
            // Matched case-insensitively and bound as declared, so that every later use (the profile file's name too) sees one spelling.
            text = allowed.FirstOrDefault(a => string.Equals(a, text, StringComparison.OrdinalIgnoreCase)) ?? throw Invalid(p, text, source, allowed);
        }
        if (p.Check?.Problem(text) is { } problem) throw new BuildInputException($"Invalid value {Show(p, text)} for {source}: {problem}");
        if (type == typeof(string)) return text;
        if (type.IsEnum)
        {
            var name = Enum.GetNames(type).FirstOrDefault(n => Names.Normalize(n) == Names.Normalize(text));
            return name is not null ? Enum.Parse(type, name) : throw Invalid(p, text, source, Enum.GetNames(type));
        }
        if (type == typeof(bool))
            return text.ToLowerInvariant() switch
            {
                "true" or "1" or "yes" or "on" => true,
                "false" or "0" or "no" or "off" => false,
                _ => throw Invalid(p, text, source, ["true", "false"]),
            };
        if (type == typeof(int))
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : throw Bad(p, text, source, "a whole number");
        if (type == typeof(double))
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw Bad(p, text, source, "a number");
        if (type == typeof(TimeSpan))
            return ParseDuration(text) ?? throw Bad(p, text, source, "a duration such as 30s, 5m, 1h or 00:05:00");
        throw new InvalidOperationException($"Parameter {p.Name} has a type the engine does not bind: {type.Name}.");
    }

    static TimeSpan? ParseDuration(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        (string Suffix, Func<double, TimeSpan> Make)[] units =
            [("ms", TimeSpan.FromMilliseconds), ("s", TimeSpan.FromSeconds), ("m", TimeSpan.FromMinutes), ("h", TimeSpan.FromHours)];
        foreach (var (suffix, make) in units)
            if (t.EndsWith(suffix, StringComparison.Ordinal) && double.TryParse(t[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
                return make(n);
        return TimeSpan.TryParse(t, CultureInfo.InvariantCulture, out var ts) ? ts : null;
    }

    static BuildInputException Invalid(ParameterMember p, string text, ValueSource source, IEnumerable<string> valid) =>
        new($"Invalid value {Show(p, text)} for {source}. Valid values: {string.Join(", ", valid)}.");

    static BuildInputException Bad(ParameterMember p, string text, ValueSource source, string expected) =>
        new($"Invalid value {Show(p, text)} for {source}: expected {expected}.");

    // Even a wrong secret might be a real one with a typo: never echo it; nor a URL's user info, nor a key in the wrong place.
    static string Show(ParameterMember p, string text) => p.IsSecret ? "(secret, not shown)" : $"'{EchoedInput.Shown(text)}'";

    public static string Example(ParameterMember p) =>
        $"--{p.Kebab} {(p.AllowedValues?.FirstOrDefault() ?? (p.ValueType == typeof(TimeSpan) ? "30s" : p.ValueType == typeof(int) || p.ValueType == typeof(double) ? "1" : "<value>"))}";
}
