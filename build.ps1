# Bootstrap, as NUKE's: find dotnet, build build/_build.csproj only when its inputs changed, run it with all arguments.
# The exit code of the build passes through unchanged.
[CmdletBinding()]
Param(
    [Parameter(Position = 0, Mandatory = $false, ValueFromRemainingArguments = $true)]
    [string[]]$BuildArguments
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

$ScriptDir = Split-Path $MyInvocation.MyCommand.Path -Parent
$BuildProject = Join-Path $ScriptDir 'build/_build.csproj'
$TempDirectory = Join-Path $ScriptDir '.nuke/temp'
$BuildBin = Join-Path $TempDirectory 'bin'
$BuildDll = Join-Path $BuildBin '_build.dll'
$InputsList = Join-Path $TempDirectory 'build-inputs.ps1.txt'

$env:DOTNET_CLI_TELEMETRY_OPTOUT = 1
$env:DOTNET_NOLOGO = 1
$env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = 1

function Find-Dotnet {
    $onPath = Get-Command dotnet -ErrorAction SilentlyContinue
    if ($onPath) { return $onPath.Source }
    $candidates = @()
    if ($env:DOTNET_ROOT) { $candidates += (Join-Path $env:DOTNET_ROOT 'dotnet'), (Join-Path $env:DOTNET_ROOT 'dotnet.exe') }
    $home_ = if ($env:USERPROFILE) { $env:USERPROFILE } else { $env:HOME }
    if ($home_) { $candidates += (Join-Path $home_ '.dotnet/dotnet'), (Join-Path $home_ '.dotnet/dotnet.exe') }
    foreach ($candidate in $candidates) { if (Test-Path $candidate -PathType Leaf) { return $candidate } }
    [Console]::Error.WriteLine("build.ps1: dotnet was not found on PATH, in DOTNET_ROOT or in ~/.dotnet.")
    [Console]::Error.WriteLine("  Install the .NET 10 SDK (https://dot.net, or 'winget install Microsoft.DotNet.SDK.10'), then run this script again.")
    exit 127
}

# Everything the build program is made from, with sizes and times, so a change, an addition or a removal rebuilds.
function Get-BuildInputs {
    $roots = @('build', 'src', 'global.json', 'Directory.Build.props', 'Directory.Packages.props') |
        ForEach-Object { Join-Path $ScriptDir $_ } | Where-Object { Test-Path $_ }
    $extensions = @('.cs', '.csproj', '.props', '.targets', '.json', '.md')
    $separator = [IO.Path]::DirectorySeparatorChar
    Get-ChildItem -Path $roots -Recurse -File |
        Where-Object { $extensions -contains $_.Extension -and $_.FullName -notmatch "[\\/](bin|obj)[\\/]" } |
        ForEach-Object { "{0} {1} {2}" -f $_.FullName.Substring($ScriptDir.Length), $_.Length, $_.LastWriteTimeUtc.Ticks } |
        Sort-Object -CaseSensitive
}

$DotnetExe = Find-Dotnet
$inputs = (Get-BuildInputs) -join "`n"
$stale = -not (Test-Path $BuildDll) -or -not (Test-Path $InputsList) -or ((Get-Content -Raw $InputsList) -ne $inputs)
if ($stale) {
    New-Item -ItemType Directory -Force -Path $TempDirectory | Out-Null
    $clock = [Diagnostics.Stopwatch]::StartNew()
    [Console]::Error.WriteLine("build.ps1: compiling the build program (build/_build.csproj: src/ and build/), because it is new or its inputs changed...")
    # What dotnet build does, one line each, while it does it (a first compile takes a minute; silence reads as a hang):
    # restore, then each project as it is compiled. The whole output is kept for a failure.
    $log = Join-Path $TempDirectory 'build-program.log'
    $output = New-Object System.Collections.Generic.List[string]
    & $DotnetExe build $BuildProject --nologo -v minimal -tl:off -clp:NoSummary -o $BuildBin 2>&1 | ForEach-Object {
        $line = "$_"
        $output.Add($line)
        $seconds = [int]$clock.Elapsed.TotalSeconds
        if ($line -match 'Determining projects to restore') { [Console]::Error.WriteLine("build.ps1:   restoring NuGet packages ($seconds s)") }
        elseif ($line -match '^\s*(\S+) -> ') { [Console]::Error.WriteLine("build.ps1:   compiled $($Matches[1]) ($seconds s)") }
    }
    $code = $LASTEXITCODE
    Set-Content -Path $log -Value $output
    if ($code -ne 0) {
        $output | ForEach-Object { [Console]::Error.WriteLine($_) }
        [Console]::Error.WriteLine("build.ps1: building build/_build.csproj failed; see the errors above (also in $log).")
        exit 1
    }
    [Console]::Error.WriteLine("build.ps1: the build program is ready ($([int]$clock.Elapsed.TotalSeconds) s); running it.")
    Set-Content -NoNewline -Path $InputsList -Value $inputs
}

if ($null -eq $BuildArguments) { $BuildArguments = @() }
& $DotnetExe $BuildDll @BuildArguments
exit $LASTEXITCODE
