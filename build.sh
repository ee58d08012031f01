#!/usr/bin/env bash
# Bootstrap, as NUKE's: find dotnet, build build/_build.csproj only when its inputs changed, run it with all arguments.
# The exit code of the build passes through unchanged.
set -eo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD_PROJECT="$SCRIPT_DIR/build/_build.csproj"
TEMP_DIRECTORY="$SCRIPT_DIR/.nuke/temp"
BUILD_BIN="$TEMP_DIRECTORY/bin"
BUILD_DLL="$BUILD_BIN/_build.dll"
INPUTS_LIST="$TEMP_DIRECTORY/build-inputs.txt"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

find_dotnet() {
    if command -v dotnet >/dev/null 2>&1; then command -v dotnet; return; fi
    for candidate in "${DOTNET_ROOT:-}/dotnet" "$HOME/.dotnet/dotnet"; do
        if [ -x "$candidate" ]; then echo "$candidate"; return; fi
    done
    echo "build.sh: dotnet was not found on PATH, in DOTNET_ROOT or in ~/.dotnet." >&2
    echo "  Install the .NET 10 SDK (https://learn.microsoft.com/dotnet/core/install/linux, or 'dotnet-install.sh --channel 10.0')" >&2
    echo "  and make sure 'dotnet --version' works, then run this script again." >&2
    exit 127
}

# Everything the build program is made from; a change, an added or a removed file triggers a rebuild.
list_inputs() {
    (cd "$SCRIPT_DIR" && find build src global.json Directory.Build.props Directory.Packages.props -type f \
        \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' -o -name '*.json' -o -name '*.md' \) \
        -not -path '*/bin/*' -not -path '*/obj/*' 2>/dev/null | LC_ALL=C sort)
}

needs_build() {
    [ -f "$BUILD_DLL" ] && [ -f "$INPUTS_LIST" ] || return 0
    [ "$(list_inputs)" == "$(cat "$INPUTS_LIST")" ] || return 0
    local newer
    newer=$(cd "$SCRIPT_DIR" && find build src global.json Directory.Build.props Directory.Packages.props -type f \
        -newer "$INPUTS_LIST" -not -path '*/bin/*' -not -path '*/obj/*' -print 2>/dev/null | head -n 1)
    [ -n "$newer" ]
}

DOTNET_EXE=$(find_dotnet)

# What dotnet build does, one line each, while it does it: a first compile takes a minute, and silence reads as a hang.
# Restore, then each project as it is compiled; a line every 15 s while one takes long.
show_progress() {
    local line project
    while IFS= read -r line; do
        case "$line" in
            *"Determining projects to restore"*) echo "build.sh:   restoring NuGet packages ($((SECONDS - started)) s)" >&2 ;;
            *" -> "*)
                project=${line%% -> *}
                echo "build.sh:   compiled ${project##* } ($((SECONDS - started)) s)" >&2 ;;
        esac
    done
}

if needs_build; then
    mkdir -p "$TEMP_DIRECTORY"
    started=$SECONDS
    echo "build.sh: compiling the build program (build/_build.csproj: src/ and build/), because it is new or its inputs changed..." >&2
    inputs=$(list_inputs)
    log="$TEMP_DIRECTORY/build-program.log"
    # The ticker's sleep gets no output of ours: left behind for a moment by the kill, it must not hold stderr open.
    (while sleep 15 >/dev/null 2>&1; do echo "build.sh:   still compiling ($((SECONDS - started)) s)" >&2; done) &
    ticker=$!
    trap 'kill "$ticker" 2>/dev/null' EXIT
    # Minimal verbosity names each project as it is done; the whole output is kept for a failure.
    if ! "$DOTNET_EXE" build "$BUILD_PROJECT" --nologo -v minimal -tl:off -clp:NoSummary -o "$BUILD_BIN" 2>&1 | tee "$log" | show_progress; then
        kill "$ticker" 2>/dev/null
        cat "$log" >&2
        echo "build.sh: building build/_build.csproj failed; see the errors above (also in $log)." >&2
        exit 1
    fi
    kill "$ticker" 2>/dev/null
    trap - EXIT
    echo "build.sh: the build program is ready ($((SECONDS - started)) s); running it." >&2
    printf '%s\n' "$inputs" > "$INPUTS_LIST"
fi

exec "$DOTNET_EXE" "$BUILD_DLL" "$@"
