using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Pipeline;
using RoboDJ.Sandbox.App;
using RoboDJ.Pipeline.IO;

namespace RoboDJ.Sandbox;

/// <summary>
/// A fresh deployment tree for the stand-in app: .env (mode 0600) with fresh keys, config/ with encrypted fields under
/// V1 and V2 at various depths, config/env_contract.json, config/broadcasts.json, config/agents/, config/logs/, and the
/// launchers RoboDJ_Launcher.sh / RoboDJ_Launcher.bat. Keys come only from <see cref="FernetKey.Generate"/>.
/// </summary>
public sealed class SandboxDeployment
{
    SandboxDeployment(SandboxLayout layout, SandboxDeploymentOptions options, FernetKey v1, FernetKey? v2, string password)
    {
        Layout = layout;
        Options = options;
        V1 = v1;
        V2 = v2;
        DashboardPassword = password;
    }

    public SandboxLayout Layout { get; }
    public string Root => Layout.Root;
    public SandboxDeploymentOptions Options { get; }
    public int Port => Options.Port;
    public string DashboardUrl => $"http://127.0.0.1:{Port}";
    /// <summary>The keys written into .env at creation. ToString shows the fingerprint only; never log Text.</summary>
    public FernetKey V1 { get; }
    public FernetKey? V2 { get; }
    /// <summary>The dashboard password written into .env; registered with the redactor.</summary>
    public string DashboardPassword { get; }

    /// <summary>True when <paramref name="root"/> holds a deployment: a .env and a config/ folder with an env contract.</summary>
    public static bool Exists(string root)
    {
        var layout = new SandboxLayout(Path.GetFullPath(root));
        return File.Exists(layout.EnvFile) && File.Exists(layout.EnvContract);
    }

    /// <summary>Creates the tree under <paramref name="root"/> (made when missing); refuses to overwrite an existing .env or config/.</summary>
    public static SandboxDeployment Create(string root, SandboxDeploymentOptions? options = null)
    {
        options ??= new SandboxDeploymentOptions();
        Validate(options);
        var layout = new SandboxLayout(Path.GetFullPath(root));
        if (File.Exists(layout.EnvFile) || Directory.Exists(layout.Config))
            throw new InvalidOperationException($"{layout.Root} already holds a deployment (.env or config/); choose an empty folder or delete it first.");

        var v1 = FernetKey.Generate();
        var v2 = options.IncludeV2 ? FernetKey.Generate() : null;
        var password = Base64Url(RandomNumberGenerator.GetBytes(24));
        SecretRedactor.Register(password);
        var deployment = new SandboxDeployment(layout, options, v1, v2, password);

        Directory.CreateDirectory(layout.Root);
        Directory.CreateDirectory(layout.Agents);
        Directory.CreateDirectory(layout.Logs);
        deployment.WriteEnvFile();
        SandboxConfigWriter.Write(layout, options, v1, v2);
        WriteJson(layout.EnvContract, new
        {
            required = new[] { SandboxVariables.Env, SandboxVariables.V1, SandboxVariables.V2, SandboxVariables.DashboardUrl },
            secret = new[] { SandboxVariables.V1, SandboxVariables.V2, SandboxVariables.DashboardPassword },
        });
        var now = DateTimeOffset.UtcNow;
        WriteJson(layout.Broadcasts, new
        {
            broadcasts = options.Broadcasts.Select(b => new { title = b.Title, starts_at = (now + b.StartsIn).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'") }),
        });
        SandboxLaunchers.Write(layout, options.AppExecutable is { } exe ? [exe] : [options.DotnetHost, options.AppDllPath ?? typeof(SandboxDeployment).Assembly.Location]);
        return deployment;
    }

    void WriteEnvFile()
    {
        var text = new StringBuilder()
            .Append("# RoboDJ sandbox deployment, made by SandboxDeployment.Create. Mode 0600: it holds the keys.\n")
            .Append("# ROBODJ_SECRET_KEY is V1 (primary), ROBODJ_SECRET_V2_KEY is V2 (secondary); the app uses MultiFernet([V1, V2]).\n")
            .Append("# As with python-dotenv, a variable already set in the app's environment wins over this file.\n")
            .Append($"{SandboxVariables.Env}={Options.Environment}\n")
            .Append($"{SandboxVariables.V1}={V1.Text}\n");
        if (V2 is not null) text.Append($"{SandboxVariables.V2}={V2.Text}\n");
        text.Append($"{SandboxVariables.DashboardUrl}={DashboardUrl}\n")
            .Append($"{SandboxVariables.DashboardPassword}={DashboardPassword}\n");
        AtomicFile.WriteAllText(Layout.EnvFile, text.ToString(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    static void Validate(SandboxDeploymentOptions o)
    {
        if (o.Port is <= 0 or > 65535) throw new ArgumentOutOfRangeException(nameof(o.Port), o.Port, "Port must be 1-65535.");
        if (o.FieldsUnderV1 < 0 || o.FieldsUnderV2 < 0 || o.UndecryptableFields < 0) throw new ArgumentException("Field counts cannot be negative.", nameof(o));
        if (o.FieldsUnderV2 > 0 && !o.IncludeV2) throw new ArgumentException("FieldsUnderV2 needs IncludeV2 = true.", nameof(o));
        if (string.IsNullOrWhiteSpace(o.Environment) || o.Environment.Any(char.IsWhiteSpace)) throw new ArgumentException("Environment must be one word, e.g. sandbox.", nameof(o));
    }

    static void WriteJson(string path, object value) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, new JsonSerializerOptions { WriteIndented = true }) + "\n");

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
