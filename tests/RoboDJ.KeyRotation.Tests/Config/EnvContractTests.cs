using System.Text;
using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Tests.Config;

public sealed class EnvContractTests
{
    static EnvContract Contract(string required, string secret) =>
        EnvContract.Parse(Encoding.UTF8.GetBytes($$"""{"required": [{{required}}], "secret": [{{secret}}], "notes": "ignored"}"""), "config/env_contract.json");

    [Fact]
    public void The_contract_lists_required_and_secret_variables()
    {
        var contract = Contract("\"ROBODJ_ENV\", \"ROBODJ_SECRET_KEY\"", "\"ROBODJ_SECRET_KEY\", \"ROBODJ_SECRET_V2_KEY\"");
        Assert.Equal(["ROBODJ_ENV", "ROBODJ_SECRET_KEY"], contract.Required);
        Assert.True(contract.IsSecret("ROBODJ_SECRET_V2_KEY"));
        Assert.False(contract.IsSecret("ROBODJ_ENV"));
    }

    [Fact]
    public void MissingFrom_names_required_variables_that_are_absent_or_empty()
    {
        var contract = Contract("\"ROBODJ_ENV\", \"ROBODJ_SECRET_KEY\", \"ROBODJ_DB\", \"ROBODJ_X\"", "");
        var env = DotEnvFile.Parse("ROBODJ_ENV=staging\nROBODJ_SECRET_KEY=\nROBODJ_X\n", ".env");
        Assert.Equal(["ROBODJ_SECRET_KEY", "ROBODJ_DB", "ROBODJ_X"], contract.MissingFrom(env));
    }

    [Fact]
    public void A_contract_of_the_wrong_shape_names_the_json_path_and_the_fix()
    {
        var e = Assert.Throws<ConfigJsonException>(() => Contract("\"ROBODJ_ENV\", 3", ""));
        Assert.StartsWith("config/env_contract.json:$.required[1]: ", e.Message);
        Assert.Contains("Fix: ", e.Message);
    }

    [Fact]
    public void A_contract_that_does_not_parse_names_the_line()
    {
        var e = Assert.Throws<ConfigJsonException>(() => EnvContract.Parse("{\n\"required\": [\n}"u8.ToArray(), "config/env_contract.json"));
        Assert.StartsWith("config/env_contract.json:3: ", e.Message);
    }

    [Fact]
    public void The_default_contract_requires_the_env_name_and_both_keys()
    {
        Assert.Equal(["ROBODJ_ENV", KeySlots.PrimaryName, KeySlots.SecondaryName], EnvContract.Default.Required);
    }
}
