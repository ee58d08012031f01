namespace RoboDJ.Sandbox.App;

/// <summary>
/// The app's view of its settings, with python-dotenv's load_dotenv semantics (override=False): a variable already in
/// the process environment wins over the same name in .env, even when empty. This is why the pipeline strips ROBODJ_*
/// from the environment it starts the app with: otherwise a stale inherited key would silently beat the rotated .env.
/// </summary>
sealed class SandboxEnvironment(IReadOnlyDictionary<string, string> dotEnv, Func<string, string?> processEnvironment)
{
    public static SandboxEnvironment Load(string envFile) =>
        new(DotEnvReader.ReadFile(envFile), Environment.GetEnvironmentVariable);

    public string? Get(string name) => processEnvironment(name) ?? dotEnv.GetValueOrDefault(name);
}
