namespace RoboDJ.KeyRotation.Runtimes;

public sealed class ComposeCliMissingException(string tried)
    : RuntimeException($"no compose CLI found (tried {tried}). Fix: install the docker compose v2 plugin (apt-get install docker-compose-plugin) or docker-compose v1 (apt-get install docker-compose), and make sure it is on PATH.");
