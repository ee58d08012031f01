namespace RoboDJ.Pipeline;

/// <summary>
/// Marks a <see cref="ParameterAttribute"/> member as a secret: its value only comes from the environment, is registered
/// with <see cref="SecretRedactor"/> as soon as it is bound, and is never printed.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;
