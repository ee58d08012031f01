using System.Reflection;

namespace RoboDJ.Pipeline.Internal;

/// <summary>One [Parameter] field or property: its names in each source, the sources it may come from, its type, and how to set it.</summary>
sealed class ParameterMember
{
    const BindingFlags Members = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    ParameterMember(MemberInfo member, Type type, ParameterAttribute attribute, bool isSecret)
    {
        Member = member;
        Type = type;
        Attribute = attribute;
        IsSecret = isSecret;
        Kebab = Names.Kebab(member.Name);
        EnvironmentName = isSecret ? Names.UpperSnake(member.Name)
            : attribute.CommandLineOnly ? null
            : Names.EnvironmentPrefix + Names.UpperSnake(member.Name);
        Check = attribute.Check is null ? null
            : Activator.CreateInstance(attribute.Check) as IParameterCheck
              ?? throw new InvalidOperationException($"Parameter {member.Name}: Check = typeof({attribute.Check.Name}) does not implement {nameof(IParameterCheck)}.");
    }

    public MemberInfo Member { get; }
    public string Name => Member.Name;
    public Type Type { get; }
    public Type ValueType => Nullable.GetUnderlyingType(Type) ?? Type;
    public ParameterAttribute Attribute { get; }
    public bool IsSecret { get; }
    public string Kebab { get; }
    /// <summary>
    /// The one variable it binds from: ROTATION_&lt;UPPER_SNAKE&gt;; a secret's own documented name (DASHBOARD_PASSWORD),
    /// its only source; null for <see cref="ParameterAttribute.CommandLineOnly"/>.
    /// </summary>
    public string? EnvironmentName { get; }
    public bool IsCommandLineOnly => Attribute.CommandLineOnly;
    /// <summary>Only the command line or only the environment: a parameters file may not hold it.</summary>
    public bool IsRefusedInFiles => IsSecret || IsCommandLineOnly;
    public IParameterCheck? Check { get; }
    public string? Description => Attribute.Description;
    public bool IsFlag => ValueType == typeof(bool);
    public bool IsArray => Type.IsArray;

    /// <summary>The values an operator may give: ValidValues, its check's, or an enum's names; null when anything goes.</summary>
    public IReadOnlyList<string>? AllowedValues =>
        Attribute.ValidValues ?? Check?.ValidValues
        ?? (ValueType.IsEnum ? Enum.GetNames(ValueType) : Type.IsArray && Type.GetElementType()!.IsEnum ? Enum.GetNames(Type.GetElementType()!) : null);

    public void SetValue(object build, object? value)
    {
        switch (Member)
        {
            case FieldInfo f: f.SetValue(build, value); break;
            case PropertyInfo p when p.SetMethod is not null: p.SetValue(build, value); break;
            case PropertyInfo p:
                // A get-only auto-property: write its backing field.
                var backing = p.DeclaringType!.GetField($"<{p.Name}>k__BackingField", Members)
                    ?? throw new InvalidOperationException($"Parameter {p.Name} has no setter.");
                backing.SetValue(build, value);
                break;
        }
    }

    /// <summary>Parameters in declaration order (base classes first). Reflection only over the build's own types.</summary>
    public static IReadOnlyList<ParameterMember> Of(Type buildType)
    {
        var chain = new List<Type>();
        for (var t = buildType; t is not null && t != typeof(object); t = t.BaseType) chain.Insert(0, t);
        var result = new List<ParameterMember>();
        foreach (var type in chain)
            foreach (var m in type.GetMembers(Members).Where(m => m is FieldInfo or PropertyInfo).OrderBy(m => m.MetadataToken))
            {
                var attribute = m.GetCustomAttribute<ParameterAttribute>();
                if (attribute is null) continue;
                var memberType = m is FieldInfo f ? f.FieldType : ((PropertyInfo)m).PropertyType;
                result.Add(new ParameterMember(m, memberType, attribute, m.IsDefined(typeof(SecretAttribute))));
            }
        return result;
    }
}
