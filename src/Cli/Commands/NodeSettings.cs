using System.ComponentModel;
using System.Globalization;
using Spectre.Console.Cli;

namespace CoPriv.Cli.Commands;

/// <summary>What `copriv serve` and `copriv infer` share beyond the run spec: where the node listens, TLS, seeding.</summary>
public class NodeSettings : RunSpecSettings
{
    [CommandOption("--listen <HOST:PORT>")]
    [Description("Where this node's Akka.Remote listens (env COPRIV_LISTEN).")]
    public string? Listen { get; init; }

    [CommandOption("--public-host <HOST>")]
    [Description("The host name other machines reach this node by, when it differs from the listen address (env COPRIV_PUBLIC_HOST).")]
    public string? PublicHost { get; init; }

    [CommandOption("--insecure")]
    [Description("Plaintext Akka.Remote and data plane: loopback experiments only, anyone on the path reads the shares.")]
    public bool Insecure { get; init; }

    [CommandOption("--log-level <LEVEL>")]
    [Description("debug, info, warning or error: what the node logs to stderr (default: info for serve, warning for infer).")]
    public string? LogLevel { get; init; }

    [CommandOption("--inspect <ADDRESS>")]
    [Description(InspectOption.Description)]
    public string? Inspect { get; init; }

    [CommandOption("--seed <N>")]
    [Description("Draw this party's randomness from a fixed seed instead of the OS: the run is reproducible and NOT private.")]
    public ulong? Seed { get; init; }

    /// <summary>The listen address: the option, else COPRIV_LISTEN, else <paramref name="fallback"/>.</summary>
    internal (string Host, int Port) ListenAddress(string fallback) =>
        ParseHostPort(Listen ?? Env("COPRIV_LISTEN") ?? fallback, "--listen");

    internal string? PublicHostname => PublicHost ?? Env("COPRIV_PUBLIC_HOST");

    /// <summary>An environment variable's value, null when unset or empty.</summary>
    internal static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    /// <summary>The log level of the option, else <paramref name="fallback"/>; a name that is not a level is one line naming the accepted ones.</summary>
    internal Akka.Event.LogLevel LogLevelOr(Akka.Event.LogLevel fallback) => LogLevel?.Trim().ToLowerInvariant() switch
    {
        null => fallback,
        "debug" => Akka.Event.LogLevel.DebugLevel,
        "info" => Akka.Event.LogLevel.InfoLevel,
        "warning" => Akka.Event.LogLevel.WarningLevel,
        "error" => Akka.Event.LogLevel.ErrorLevel,
        _ => throw new ArgumentException($"unknown log level '{LogLevel}'; known levels: debug, info, warning, error"),
    };

    /// <summary>Prints the warning a seeded run owes its user, once.</summary>
    internal void WarnIfSeeded()
    {
        if (Seed is { } seed)
            Console.Error.WriteLine($"copriv: warning: --seed {seed}: this party's randomness is reproducible, so the run is NOT private");
    }

    /// <summary>host:port, with a one-line error naming the option.</summary>
    internal static (string Host, int Port) ParseHostPort(string text, string option)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1
            || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
            throw new ArgumentException($"{option} '{text}' is not HOST:PORT (e.g. 127.0.0.1:4053)");
        return (text[..colon].Trim('[', ']'), port);
    }
}
