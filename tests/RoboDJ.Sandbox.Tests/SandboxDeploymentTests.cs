using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Sandbox.App;
using RoboDJ.Sandbox.Tests.Support;
using RoboDJ.Testing;

namespace RoboDJ.Sandbox.Tests;

public sealed class SandboxDeploymentTests : IDisposable
{
    readonly TempDir dir = new("robodj-sandbox");

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Create_writes_a_dotenv_with_fresh_keys_the_port_and_a_password_readable_only_by_its_owner()
    {
        var deployment = SandboxDeployment.Create(dir.Combine("d"), new SandboxDeploymentOptions { Port = 18765 });

        var values = DotEnvReader.ReadFile(deployment.Layout.EnvFile);
        Assert.Equal("sandbox", values[SandboxVariables.Env]);
        Assert.Equal(deployment.V1, FernetKey.Parse(values[SandboxVariables.V1], ".env"));
        Assert.Equal(deployment.V2, FernetKey.Parse(values[SandboxVariables.V2], ".env"));
        Assert.NotEqual(deployment.V1, deployment.V2);
        Assert.Equal("http://127.0.0.1:18765", values[SandboxVariables.DashboardUrl]);
        Assert.Equal(deployment.DashboardPassword, values[SandboxVariables.DashboardPassword]);
        Assert.True(deployment.DashboardPassword.Length >= 24);
        Assert.StartsWith("#", File.ReadAllText(deployment.Layout.EnvFile));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(deployment.Layout.EnvFile));
    }

    [Fact]
    public void Create_puts_the_requested_fields_under_each_key_at_several_depths_and_some_with_enc()
    {
        var deployment = TestDeployments.Create(dir, new SandboxDeploymentOptions { FieldsUnderV1 = 6, FieldsUnderV2 = 3, UndecryptableFields = 1 });

        var fields = deployment.EncryptedFields();
        Assert.Equal(6, fields.Count(f => FernetToken.TryDecrypt(deployment.V1, f.Token, out _)));
        Assert.Equal(3, fields.Count(f => FernetToken.TryDecrypt(deployment.V2!, f.Token, out _)));
        Assert.Equal(10, fields.Count);
        Assert.True(fields.Select(f => f.File).Distinct().Count() >= 3);
        Assert.Contains(fields, f => f.Path.Count(c => c == '.') == 1);
        Assert.Contains(fields, f => f.Path.Contains('['));
        var text = string.Concat(App.ConfigTree.JsonFiles(deployment.Layout).Select(File.ReadAllText));
        Assert.Contains("\"enc:gAAAAA", text);
        Assert.Contains("\"station_name\": \"RoboDJ FM\"", text);
    }

    [Fact]
    public void Create_writes_the_env_contract_broadcasts_folders_and_launchers()
    {
        var deployment = TestDeployments.Create(dir, new SandboxDeploymentOptions { AppDllPath = "/opt/robo dj/RoboDJ.Sandbox.dll" });
        var layout = deployment.Layout;

        var contract = System.Text.Json.JsonDocument.Parse(File.ReadAllText(layout.EnvContract)).RootElement;
        Assert.Equal(["ROBODJ_ENV", "ROBODJ_SECRET_KEY", "ROBODJ_SECRET_V2_KEY", "ROBODJ_DASHBOARD_URL"],
            contract.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["ROBODJ_SECRET_KEY", "ROBODJ_SECRET_V2_KEY", "ROBODJ_DASHBOARD_PASSWORD"],
            contract.GetProperty("secret").EnumerateArray().Select(e => e.GetString()));
        Assert.True(File.Exists(layout.Broadcasts));
        Assert.Empty(Directory.EnumerateFileSystemEntries(layout.Agents));
        Assert.True(Directory.Exists(layout.Logs));
        Assert.Contains($"exec \"dotnet\" \"/opt/robo dj/RoboDJ.Sandbox.dll\" --root \"{deployment.Root}\"", File.ReadAllText(layout.LauncherSh));
        Assert.Contains($"\"dotnet\" \"/opt/robo dj/RoboDJ.Sandbox.dll\" --root \"{deployment.Root}\"\r\n", File.ReadAllText(layout.LauncherBat));
        if (!OperatingSystem.IsWindows())
            Assert.True(File.GetUnixFileMode(layout.LauncherSh).HasFlag(UnixFileMode.UserExecute));
    }

    [Fact]
    public void Exists_tells_a_created_deployment_from_an_empty_folder_and_Create_refuses_to_overwrite_one()
    {
        var root = dir.Combine("d");
        Assert.False(SandboxDeployment.Exists(root));

        SandboxDeployment.Create(root, new SandboxDeploymentOptions());
        var envBefore = File.ReadAllBytes(Path.Combine(root, ".env"));

        Assert.True(SandboxDeployment.Exists(root));
        var error = Assert.Throws<InvalidOperationException>(() => SandboxDeployment.Create(root, new SandboxDeploymentOptions()));
        Assert.Contains("already holds a deployment", error.Message);
        Assert.Equal(envBefore, File.ReadAllBytes(Path.Combine(root, ".env")));
    }

    [Fact]
    public void Create_without_V2_writes_no_V2_slot_and_refuses_fields_under_it()
    {
        var deployment = TestDeployments.Create(dir, new SandboxDeploymentOptions { IncludeV2 = false, FieldsUnderV2 = 0 });

        Assert.Null(deployment.V2);
        Assert.False(DotEnvReader.ReadFile(deployment.Layout.EnvFile).ContainsKey(SandboxVariables.V2));
        Assert.Throws<ArgumentException>(() => SandboxDeployment.Create(dir.Combine("other"), new SandboxDeploymentOptions { IncludeV2 = false }));
    }
}
