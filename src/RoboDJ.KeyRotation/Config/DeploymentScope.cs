using System.Text.Json.Serialization;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.Pipeline.IO;

namespace RoboDJ.KeyRotation.Config;

/// <summary>
/// One file a rotation may touch: where its bytes are (<see cref="Path"/>: the path under the root, or a link's checked
/// final target) and its path relative to the deployment root ("/"-separated), by which it is named and snapshotted.
/// </summary>
public sealed record ScopeFile(string Path, string Relative)
{
    /// <summary>The path relative to config/, as the census and the rewrap name a config file.</summary>
    public string ConfigRelative => Relative.StartsWith("config/", StringComparison.Ordinal) ? Relative["config/".Length..] : Relative;
}

/// <summary>A symbolic link the scope's walk went through: its path relative to the root and its final target (a real path).</summary>
public sealed record ScopeLink([property: JsonPropertyName("path")] string Path, [property: JsonPropertyName("target")] string Target);

/// <summary>
/// The one definition of the files a rotation may touch (DESIGN.md §6): .env, config/env_contract.json and every *.json
/// under config/, at any depth, except the pipeline's own folders (key_rotation/, incidents/) and the app's exclusions.
/// Census counts, Rewrap rewraps, Snapshot copies and Restore restores exactly these files, so a file is either all four
/// or none: a field the rewrap changes always has its original in the snapshot.
/// Every path resolves beneath the deployment root: the walk looks at each entry without following it, and a link is
/// followed only to a target inside the root (or one the operator allowed by name, --allow-link-targets), never into
/// the pipeline's own folders, never round a loop. After the snapshot the scope is pinned to the links its manifest
/// recorded (<see cref="PinnedTo"/>): a link that appeared or changed since is refused, so nothing is written through it.
/// </summary>
public sealed class DeploymentScope
{
    /// <summary>
    /// The pipeline's own names under config/: postmortems (incidents/), and key_rotation/, which the pipeline keeps beside
    /// config/ and never inside it; neither holds an app field.
    /// </summary>
    public static readonly IReadOnlyList<string> PipelineFolders = ["key_rotation", "incidents"];

    /// <summary>
    /// Folders under config/ left out unless the deployment says otherwise: agents/ holds lock files with no encrypted
    /// field. logs/ and any snapshot(s)/ backups stay in, because a field there left under an old key is lost with it.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultExclusions = ["agents"];

    readonly DeploymentPaths paths;
    readonly IReadOnlyList<string> allowedLinkTargets;
    readonly IReadOnlyDictionary<string, string>? pinned;

    /// <param name="allowedLinkTargets">Files or folders outside the root that a link in the scope may point at (--allow-link-targets).</param>
    public DeploymentScope(DeploymentPaths paths, IReadOnlyList<string>? exclusions = null, IReadOnlyList<string>? allowedLinkTargets = null)
        : this(paths, (exclusions ?? DefaultExclusions).Select(Normalize).Where(e => e.Length > 0).Distinct().ToArray(),
            (allowedLinkTargets ?? []).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => Path.GetFullPath(t, paths.Root)).ToArray(), null)
    {
    }

    DeploymentScope(DeploymentPaths paths, IReadOnlyList<string> exclusions, IReadOnlyList<string> allowedLinkTargets, IReadOnlyDictionary<string, string>? pinned)
    {
        this.paths = paths;
        Exclusions = exclusions;
        this.allowedLinkTargets = allowedLinkTargets;
        this.pinned = pinned;
    }

    /// <summary>Folders relative to config/ ("cache" or "cache/tmp") whose files the rotation never touches.</summary>
    public IReadOnlyList<string> Exclusions { get; }
    public DeploymentPaths Paths => paths;
    public IReadOnlyList<string> AllowedLinkTargets => allowedLinkTargets;

    /// <summary>
    /// The same scope, following only the links a snapshot recorded, each to the target it had then. Null (a manifest
    /// from before links were recorded): the rules of an unpinned walk apply.
    /// </summary>
    public DeploymentScope PinnedTo(IReadOnlyList<ScopeLink>? links) => links is null ? this
        : new(paths, Exclusions, allowedLinkTargets, links.ToDictionary(l => l.Path, l => l.Target, StringComparer.Ordinal));

    /// <summary>Every file in the scope that exists now: .env first, then the config JSON in ordinal order.</summary>
    public IReadOnlyList<ScopeFile> Files() => Walk().Files;

    /// <summary>The *.json files under config/ in the scope (the env contract among them), in ordinal order.</summary>
    public IReadOnlyList<ScopeFile> ConfigJsonFiles() => Walk().Files.Where(f => f.Relative != ".env").ToArray();

    /// <summary>The scope's files and the links the walk went through to reach them (what a snapshot's manifest records).</summary>
    public ScopeWalk Walk() => new Walker(this).Run();

    /// <summary>
    /// Where a write of <paramref name="relative"/> goes, resolved beneath the root as the walk resolves it: a missing
    /// part is created there, a link is taken only as the scope allows (pinned: as the snapshot recorded it). Throws
    /// <see cref="ScopePathException"/> rather than let a write leave the deployment.
    /// </summary>
    public string Locate(string relative) => new Walker(this).Locate(relative);

    /// <summary>Whether a path relative to the deployment root is one the rotation may touch.</summary>
    public bool Contains(string relative)
    {
        relative = relative.Replace('\\', '/');
        if (relative == ".env") return true;
        if (!relative.StartsWith("config/", StringComparison.Ordinal) || !relative.EndsWith(".json", StringComparison.Ordinal)) return false;
        return !IsLeftOut(relative);
    }

    /// <summary>A path under config/ inside the pipeline's folders or an excluded one.</summary>
    bool IsLeftOut(string relative)
    {
        var underConfig = relative["config/".Length..];
        var folder = underConfig.Contains('/') ? underConfig[..underConfig.LastIndexOf('/')] + "/" : "";
        return PipelineFolders.Concat(Exclusions).Any(excluded => folder.StartsWith(excluded + "/", StringComparison.Ordinal));
    }

    public string Describe() => $".env and config/**/*.json except {string.Join(", ", PipelineFolders.Concat(Exclusions).Select(f => $"config/{f}/"))}";

    static string Normalize(string folder) => folder.Replace('\\', '/').Trim().Trim('/');

    /// <summary>One walk: the real root, the folders a link may reach and the ones it may never reach.</summary>
    sealed class Walker
    {
        readonly DeploymentScope scope;
        readonly string root;
        readonly string[] anchors;
        readonly string[] forbidden;
        readonly List<ScopeFile> files = [];
        readonly List<ScopeLink> links = [];

        public Walker(DeploymentScope scope)
        {
            this.scope = scope;
            root = RealPath.Of(scope.paths.Root);
            anchors = [root, .. scope.allowedLinkTargets.Select(RealPath.Of)];
            // The pipeline's folders, wherever config/ really is: whatever a link says, they are never in the scope.
            var config = Directory.Exists(scope.paths.Config) ? RealPath.Of(scope.paths.Config) : scope.paths.Config;
            forbidden = [Path.Combine(root, DeploymentPaths.KeyRotationFolder), .. PipelineFolders.Select(f => Path.Combine(config, f))];
        }

        public ScopeWalk Run()
        {
            var env = Path.Combine(scope.paths.Root, ".env");
            if (Entry(env, ".env") is { } found)
            {
                if (found.Status.Kind == FileKind.Regular) files.Add(new ScopeFile(found.Path, ".env"));
                else if (found.Status.Exists) throw new ScopePathException(".env", $"{Shown(".env", found)} {FileStatus.Describe(found.Status.Kind)}", "make .env the regular file the app reads");
            }
            // Real paths from here on, so that a loop is seen whatever links the root's own path goes through.
            if (Entry(scope.paths.Config, "config") is { Status.Kind: FileKind.Directory } config && RealPath.Of(config.Path) is var real)
                Folder(real, "config", [real]);
            return new ScopeWalk(Deduplicated(), links);
        }

        /// <summary>One entry, looked at without following it; a link is resolved, judged and recorded. Null when it is missing.</summary>
        (string Path, FileStatus Status, bool ViaLink)? Entry(string path, string relative)
        {
            var status = FileStatus.Of(path);
            if (status.Kind == FileKind.Missing) return null;
            if (status.Kind != FileKind.Link) return (path, status, false);
            var target = FinalTarget(path, relative);
            var targetStatus = FileStatus.Of(target);
            return (target, targetStatus, true);
        }

        void Folder(string real, string relative, List<string> ancestors)
        {
            foreach (var name in Directory.EnumerateFileSystemEntries(real).Select(Path.GetFileName).Order(StringComparer.Ordinal))
            {
                var childRelative = $"{relative}/{name}";
                if (IsLeftOutFolder(childRelative)) continue;
                var isJson = name!.EndsWith(".json", StringComparison.Ordinal);
                var path = Path.Combine(real, name);
                var status = FileStatus.Of(path);
                // Only what the scope would take is judged: a link named README pointing anywhere is none of its business.
                if (status.Kind == FileKind.Link)
                {
                    var target = FinalTarget(path, childRelative, judge: false);
                    var targetStatus = FileStatus.Of(target);
                    if (targetStatus.Kind == FileKind.Directory || isJson) Judge(childRelative, target, targetStatus.Kind);
                    if (targetStatus.Kind == FileKind.Directory)
                    {
                        if (ancestors.Any(a => RealPath.IsAtOrBelow(a, target)))
                            throw new ScopePathException(childRelative, $"{childRelative} is a link to {target}, a folder that contains it, so the walk would go round it forever (a link loop)",
                                $"remove the link (`rm {Path.Combine(scope.paths.Root, childRelative)}`); a config folder never needs one");
                        Folder(target, childRelative, [.. ancestors, target]);
                    }
                    else if (isJson) File(childRelative, target, targetStatus);
                    continue;
                }
                if (status.Kind == FileKind.Directory) Folder(path, childRelative, [.. ancestors, path]);
                else if (isJson) File(childRelative, path, status);
            }
        }

        void File(string relative, string path, FileStatus status)
        {
            if (!scope.Contains(relative)) return;
            if (status.Kind == FileKind.Regular) { files.Add(new ScopeFile(path, relative)); return; }
            throw new ScopePathException(relative, status.Kind == FileKind.Missing
                    ? $"{relative} is a link to {path}, which does not exist (a dangling link)"
                    : $"{relative}{(path == Path.Combine(scope.paths.Root, relative) ? "" : $" (a link to {path})")} {FileStatus.Describe(status.Kind)}",
                status.Kind == FileKind.Missing ? $"point the link at the real file, or remove it (`rm {Path.Combine(scope.paths.Root, relative)}`)"
                    : $"replace it with the regular JSON file it should be, or move it out of config/");
        }

        bool IsLeftOutFolder(string relative) => scope.IsLeftOut(relative + "/x");

        /// <summary>The final target of a chain of links; a chain that never ends is refused with its path.</summary>
        string FinalTarget(string path, string relative, bool judge = true)
        {
            string target;
            try { target = RealPath.Of(path); }
            catch (IOException)
            {
                throw new ScopePathException(relative, $"{relative} is a symbolic link that never reaches a file (a link loop)",
                    $"remove the loop (`rm {path}`), or point the link at the real file");
            }
            if (judge) Judge(relative, target, FileStatus.Of(target).Kind);
            return target;
        }

        /// <summary>A link may lead inside the root (or an allowed target), never into the pipeline's folders; pinned, only as recorded.</summary>
        void Judge(string relative, string target, FileKind kind)
        {
            if (scope.pinned is { } recorded)
            {
                if (!recorded.TryGetValue(relative, out var then) || then != target)
                    throw new ScopePathException(relative, then is null
                            ? $"{relative} is now a symbolic link to {target}, which the snapshot did not record (it was no link then); nothing is written through a link that appeared after the snapshot"
                            : $"{relative} is now a symbolic link to {target}, but the snapshot recorded it pointing at {then}; nothing is written through a link that changed after the snapshot",
                        $"put back what the snapshot holds: remove the link (`rm {Path.Combine(scope.paths.Root, relative)}`){(then is null ? "" : $" or point it at {then} again")}, then run Rollback again");
            }
            else if (!anchors.Any(a => RealPath.IsAtOrBelow(target, a)))
                throw new ScopePathException(relative, $"{relative} is a symbolic link to {target}, outside the deployment root {root}; the rotation never follows a link out of the deployment",
                    $"replace the link with the {(kind == FileKind.Directory ? "folder" : "file")} itself, or, if that target belongs to this deployment, allow it by name with --allow-link-targets {target}");
            if (forbidden.Any(f => RealPath.IsAtOrBelow(target, f)))
                throw new ScopePathException(relative, $"{relative} is a symbolic link to {target}, inside the pipeline's own folders (key_rotation/, incidents/), which are never part of the rotation",
                    $"remove the link (`rm {Path.Combine(scope.paths.Root, relative)}`)");
            if (!links.Any(l => l.Path == relative)) links.Add(new ScopeLink(relative, target));
        }

        static string Shown(string relative, (string Path, FileStatus Status, bool ViaLink) found) => found.ViaLink ? $"{relative} (a link to {found.Path})" : relative;

        /// <summary>
        /// A file reached twice (a link to another file of the scope) is counted, rewrapped and snapshotted once, by the
        /// path with the fewest links on it, then the first in order.
        /// </summary>
        IReadOnlyList<ScopeFile> Deduplicated()
        {
            var seen = new Dictionary<(ulong, ulong), ScopeFile>();
            var order = files.OrderBy(f => links.Count(l => f.Relative == l.Path || f.Relative.StartsWith(l.Path + "/", StringComparison.Ordinal)))
                .ThenBy(f => f.Relative, StringComparer.Ordinal);
            foreach (var file in order)
            {
                var identity = FileStatus.Of(file.Path) is { Exists: true } status && status.Inode != 0 ? status.Identity : ((ulong)file.Relative.GetHashCode(), 0UL);
                seen.TryAdd(identity, file);
            }
            var kept = seen.Values.ToHashSet();
            // .env first, then the config JSON in ordinal order, as callers always had them.
            return files.Where(kept.Contains).OrderBy(f => f.Relative != ".env").ThenBy(f => f.Relative, StringComparer.Ordinal).ToArray();
        }

        public string Locate(string relative)
        {
            relative = relative.Replace('\\', '/');
            var parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var current = scope.paths.Root;
            for (var i = 0; i < parts.Length; i++)
            {
                var soFar = string.Join('/', parts[..(i + 1)]);
                var next = Path.Combine(current, parts[i]);
                var status = FileStatus.Of(next);
                if (status.Kind == FileKind.Missing) return Path.Combine([next, .. parts[(i + 1)..]]);
                var last = i == parts.Length - 1;
                if (status.Kind == FileKind.Link)
                {
                    next = FinalTarget(next, soFar);
                    status = FileStatus.Of(next);
                    if (status.Kind == FileKind.Missing) return Path.Combine([next, .. parts[(i + 1)..]]);
                }
                if (!last && status.Kind != FileKind.Directory)
                    throw new ScopePathException(soFar, $"{soFar} {FileStatus.Describe(status.Kind)}, where the snapshot had a folder", $"move it away (`mv {next} {next}.moved`), then run Rollback again");
                if (last && status.Kind != FileKind.Regular)
                    throw new ScopePathException(soFar, $"{soFar} {FileStatus.Describe(status.Kind)}, where the snapshot had a file", $"move it away (`mv {next} {next}.moved`), then run Rollback again");
                current = next;
            }
            return current;
        }
    }
}

/// <summary>The files of a scope's walk, and the links it went through (recorded in a snapshot's manifest).</summary>
public sealed record ScopeWalk(IReadOnlyList<ScopeFile> Files, IReadOnlyList<ScopeLink> Links);

/// <summary>A path of the scope that cannot be taken as it is: a link out of the deployment or into a loop, a FIFO, a link changed since the snapshot. Names the path and the fix.</summary>
public sealed class ScopePathException(string relative, string problem, string fix) : IOException($"{problem}. Fix: {fix}")
{
    public string Relative { get; } = relative;
}
