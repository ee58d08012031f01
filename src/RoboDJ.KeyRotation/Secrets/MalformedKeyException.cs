namespace RoboDJ.KeyRotation.Secrets;

/// <summary>A key that is not a valid Fernet key. The message names where it came from and why, never the value.</summary>
public sealed class MalformedKeyException(string source, string reason)
    : Exception($"{source}: the key is not a valid Fernet key: {reason}. Fix: put a 44-character urlsafe base64 key there, e.g. from `python3 -c \"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())\"`.")
{
    public string KeySource { get; } = source;
}
