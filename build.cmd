:; # Polyglot, as NUKE's: a POSIX shell reads the ':;' line and runs build.sh; cmd.exe skips it and runs build.ps1.
:; exec "$(dirname "$0")/build.sh" "$@"

@ECHO OFF
WHERE pwsh >NUL 2>&1
IF %ERRORLEVEL% EQU 0 (
    pwsh -NoProfile -ExecutionPolicy Bypass -File "%~dp0build.ps1" %*
) ELSE (
    powershell -NoProfile -ExecutionPolicy Bypass -File "%~dp0build.ps1" %*
)
EXIT /B %ERRORLEVEL%
