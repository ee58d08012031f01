using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Testing;

namespace RoboDJ.Sandbox.Tests.Support;

/// <summary>Small builders over <see cref="SandboxDeployment"/>: a fresh deployment on a free port, and edits a rotation would make.</summary>
static class TestDeployments
{
    public static SandboxDeployment Create(TempDir dir, SandboxDeploymentOptions? options = null) =>
        SandboxDeployment.Create(dir.Combine("deployment"), (options ?? new SandboxDeploymentOptions()) with { Port = RoboDJ.Testing.LoopbackPorts.Free() });

    /// <summary>Rewrites one KEY=value line of .env (or appends it), as the pipeline's store would.</summary>
    public static void SetEnv(this SandboxDeployment deployment, string name, string value)
    {
        var lines = File.ReadAllLines(deployment.Layout.EnvFile).ToList();
        var index = lines.FindIndex(l => l.StartsWith(name + "=", StringComparison.Ordinal));
        if (index >= 0) lines[index] = $"{name}={value}";
        else lines.Add($"{name}={value}");
        File.WriteAllText(deployment.Layout.EnvFile, string.Join("\n", lines) + "\n");
    }

    /// <summary>The rotation's key shift: V2 := V1, V1 := a new key. Returns the new V1.</summary>
    public static FernetKey ShiftKeys(this SandboxDeployment deployment, FernetKey currentV1)
    {
        var next = FernetKey.Generate();
        deployment.SetEnv(SandboxVariables.V2, currentV1.Text);
        deployment.SetEnv(SandboxVariables.V1, next.Text);
        return next;
    }

    /// <summary>Every string under config/ (except bookkeeping) that looks like a Fernet token, by file and JSON path.</summary>
    public static List<(string File, string Path, string Token)> EncryptedFields(this SandboxDeployment deployment) =>
        App.ConfigTree.Load(deployment.Layout)
            .SelectMany(f => f.Fields.Select(x => (f.RelativePath, x.Path, x.Token)))
            .ToList();

    public static string[] Secrets(this SandboxDeployment deployment, params FernetKey[] more) =>
        new[] { deployment.V1.Text, deployment.V2?.Text, deployment.DashboardPassword }
            .Concat(more.Select(k => k.Text))
            .OfType<string>()
            .ToArray();
}
