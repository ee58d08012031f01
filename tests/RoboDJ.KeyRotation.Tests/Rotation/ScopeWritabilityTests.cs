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
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Each_file_that_cannot_be_replaced_is_one_problem_naming_it_and_env_counts_only_for_a_dotenv_store()
    {
        FileAttributesAsRoot.RequireChattr(temp.Path);
        var config = temp.Combine("config");
        File.SetUnixFileMode(temp.Combine(".env"), UnixFileMode.UserRead);
        FileAttributesAsRoot.Chattr(config, "+i");
        try
        {
            var problems = ScopeWritability.Problems(scope, dotEnvStore: true);
            Assert.Equal(3, problems.Count);
            Assert.Contains($"chmod u+w {temp.Combine(".env")}", problems[0]);
            Assert.Contains(temp.Combine("config", "env_contract.json"), problems[1]);
            Assert.Contains(temp.Combine("config", "settings.json"), problems[2]);
            Assert.All(problems.Skip(1), p => Assert.Contains($"chattr -i {config}", p));
            Assert.Equal(problems.Skip(1), ScopeWritability.Problems(scope, dotEnvStore: false));
        }
        finally { FileAttributesAsRoot.Chattr(config, "-i"); }
    }
}
