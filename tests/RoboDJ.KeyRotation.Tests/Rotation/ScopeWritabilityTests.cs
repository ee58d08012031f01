using System.Security.Cryptography;
using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Tests.Config;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Rotation;

public sealed class ScopeWritabilityTests : IDisposable
{
    readonly TempDir temp = new();
    readonly DeploymentScope scope;
    public void Dispose() => temp.Dispose();

    public ScopeWritabilityTests()
    {
        var v1 = FernetKey.Generate();
        File.WriteAllText(temp.Combine(".env"), "ROBODJ_ENV=staging\n");
        new ConfigTreeBuilder(temp.Combine("config"))
            .Stations("settings.json", v1)
            .Raw("plain.json", "{\"a\": 1}")
            .Raw("env_contract.json", "{\"required\": []}");
        scope = new DeploymentScope(new DeploymentPaths(temp.Path));
    }

    [Fact]
    public void The_files_to_prove_are_env_the_contract_and_each_config_file_holding_a_field()
    {
        Assert.Equal([".env", "config/env_contract.json", "config/settings.json"], ScopeWritability.FilesToWrite(scope, dotEnvStore: true).Select(f => f.Relative));
        Assert.Equal(["config/env_contract.json", "config/settings.json"], ScopeWritability.FilesToWrite(scope, dotEnvStore: false).Select(f => f.Relative));
        Assert.Empty(ScopeWritability.Problems(scope, dotEnvStore: true));
    }

    [Fact]
    public void An_immutable_config_file_is_named_with_the_fix_and_the_probe_changes_nothing()
    {
        FileAttributesAsRoot.RequireChattr(temp.Path);
        var settings = temp.Combine("config", "settings.json");
        FileAttributesAsRoot.Chattr(settings, "+i");
        try
        {
            var before = Fingerprint(settings);

            var problem = Assert.Single(ScopeWritability.Problems(scope, dotEnvStore: true));

            Assert.Contains(settings, problem);
            Assert.Contains("immutable", problem);
            Assert.Contains($"chattr -i {settings}", problem);
            Assert.Equal(before, Fingerprint(settings));
            Assert.Equal(["env_contract.json", "plain.json", "settings.json"], Directory.GetFiles(temp.Combine("config")).Select(Path.GetFileName).Order());
        }
        finally { FileAttributesAsRoot.Chattr(settings, "-i"); }
    }

    [Fact]
    public void An_immutable_folder_is_named_with_the_fix()
    {
        FileAttributesAsRoot.RequireChattr(temp.Path);
        var config = temp.Combine("config");
        FileAttributesAsRoot.Chattr(config, "+i");
        try
        {
            var problems = ScopeWritability.Problems(scope, dotEnvStore: true);
            Assert.Equal(2, problems.Count);
            Assert.All(problems, p => Assert.Contains($"chattr -i {config}", p));
        }
        finally { FileAttributesAsRoot.Chattr(config, "-i"); }
    }

    [Fact]
    public void A_symlinked_env_is_judged_by_its_target()
    {
        FileAttributesAsRoot.RequireChattr(temp.Path);
        Directory.CreateDirectory(temp.Combine("secrets"));
        var target = temp.Combine("secrets", "robodj.env");
        File.Move(temp.Combine(".env"), target);
        File.CreateSymbolicLink(temp.Combine(".env"), target);
        FileAttributesAsRoot.Chattr(target, "+i");
        try
        {
            var problem = Assert.Single(ScopeWritability.Problems(scope, dotEnvStore: true));
            Assert.Contains($"a symlink to {target}", problem);
        }
        finally { FileAttributesAsRoot.Chattr(target, "-i"); }
    }

    static (string Hash, DateTime Written, UnixFileMode Mode, string Owner) Fingerprint(string path) =>
        (Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), File.GetLastWriteTimeUtc(path),
         OperatingSystem.IsWindows() ? 0 : File.GetUnixFileMode(path), FileAttributesAsRoot.OwnerOf(path));
}
