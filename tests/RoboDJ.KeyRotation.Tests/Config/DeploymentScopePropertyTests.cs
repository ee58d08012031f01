using System.Security.Cryptography;
using System.Text.Json.Nodes;
using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Snapshots;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Config;

/// <summary>
/// Random config trees (folder names the old twins treated differently: logs, snapshot(s), our own folders, nested,
/// excluded) with random JSON holding tokens under V1, V2 and a stranger key: the snapshot covers every file the
/// rewrap changes, and the rewrap handles every field the census counts.
/// </summary>
public sealed class DeploymentScopePropertyTests
{
    static readonly string[] FolderNames = ["logs", "snapshot", "snapshots", ".snapshots", "key_rotation", "incidents", "agents", "app", "nested", "cache", "Logs"];
    static readonly FernetKey V1 = FernetKey.Generate(), V2 = FernetKey.Generate(), Stranger = FernetKey.Generate(), Next = FernetKey.Generate();

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_file_the_rewrap_changes_is_in_the_snapshot_and_every_counted_field_is_rewrapped(int seed)
    {
        var random = new Random(seed);
        using var temp = new TempDir("robodj-scope");
        var paths = new DeploymentPaths(temp.Path);
        File.WriteAllText(paths.DotEnv, "ROBODJ_ENV=staging\n");
        var exclusions = FolderNames.Where(_ => random.Next(4) == 0).Select(f => random.Next(2) == 0 ? f : f + "/" + FolderNames[random.Next(FolderNames.Length)]).ToArray();
        var scope = new DeploymentScope(paths, exclusions);
        for (var i = random.Next(1, 25); i > 0; i--) WriteRandomFile(random, paths.Config);
        var ring = new KeyRing(Next, V1, V2);

        var snapshot = new SnapshotStore(scope).FilesToSnapshot().ToHashSet();
        var census = Census.Take(scope, ring, cancellationToken: TestContext.Current.CancellationToken);
        var before = HashTree(temp.Path);
        var rewrap = Rewrap.Run(scope, ring);
        var changed = HashTree(temp.Path).Where(kv => before[kv.Key] != kv.Value).Select(kv => kv.Key).ToList();

        var context = $"seed {seed}, exclusions [{string.Join(", ", exclusions)}]";
        Assert.All(changed, file => Assert.True(snapshot.Contains(file), $"{context}: the rewrap changed {file}, which the snapshot does not hold"));
        Assert.All(changed, file => Assert.True(scope.Contains(file), $"{context}: {file} changed but is outside the scope"));
        Assert.Equal(census.UnderSecondary, rewrap.Rewrapped);
        var after = Census.Take(scope, new KeyRing(Next), cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(census.Decryptable == after.UnderPrimary, $"{context}: {census.Decryptable} counted, {after.UnderPrimary} under the new V1 after the rewrap");
        // Nothing outside the scope moved, so a restore of the snapshot gives back every byte the rotation changed.
        Assert.All(before.Keys.Where(k => !scope.Contains(k)), file => Assert.DoesNotContain(file, changed));
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 40)];

    static void WriteRandomFile(Random random, string configRoot)
    {
        var depth = random.Next(0, 4);
        var folders = Enumerable.Range(0, depth).Select(_ => FolderNames[random.Next(FolderNames.Length)]);
        var name = random.Next(6) == 0 ? "notes.txt" : $"f{random.Next(1000)}.json";
        var path = Path.Combine([configRoot, .. folders, name]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, RandomNode(random, 0).ToJsonString());
    }

    static JsonNode RandomNode(Random random, int depth)
    {
        switch (depth > 3 ? random.Next(3) : random.Next(5))
        {
            case 0: return JsonValue.Create(random.Next(100))!;
            case 1: return JsonValue.Create("plain " + random.Next(100))!;
            case 2:
                var key = random.Next(3) switch { 0 => V1, 1 => V2, _ => Stranger };
                return JsonValue.Create(ConfigTreeBuilder.Field(key, "secret " + random.Next(), prefixed: random.Next(2) == 0))!;
            case 3:
                var array = new JsonArray();
                for (var i = random.Next(4); i > 0; i--) array.Add(RandomNode(random, depth + 1));
                return array;
            default:
                var obj = new JsonObject();
                for (var i = random.Next(4); i > 0; i--) obj[$"k{i}_{random.Next(50)}"] = RandomNode(random, depth + 1);
                return obj;
        }
    }

    static Dictionary<string, string> HashTree(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace('\\', '/'), f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))));
}
