using Akka.Configuration;
using CoPriv.Inference.Planning;

namespace CoPriv.Sim.Configuration;

/// <summary>The HOCON layer of a <see cref="RunSpec"/>: the keys of <c>copriv.run</c> (model, protocol, ell, scale, width, ot, weight-bits, preprocess).</summary>
public static class RunSpecConfig
{
    public const string Section = "copriv.run";

    /// <summary>What <paramref name="config"/>'s <c>copriv.run</c> section sets (nothing where it is absent).</summary>
    /// <exception cref="FormatException">A key holds a value of the wrong type; the message names it.</exception>
    public static RunSpecSource Source(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var run = config.GetConfig(Section) ?? Config.Empty;
        T? Read<T>(string key, Func<string, T> read) where T : struct
        {
            if (!run.HasPath(key)) return null;
            try
            {
                return read(key);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new FormatException($"{Section}.{key} = '{run.GetString(key)}' is not a {typeof(T).Name.ToLowerInvariant()}", e);
            }
        }
        string? Text(string key) => run.HasPath(key) && run.GetString(key) is { Length: > 0 } value ? value : null;
        return new RunSpecSource("hocon")
        {
            Model = Text(RunSpec.Keys.Model),
            Protocol = Text(RunSpec.Keys.Protocol),
            RingBits = Read(RunSpec.Keys.RingBits, k => run.GetInt(k)),
            Scale = Read(RunSpec.Keys.Scale, k => run.GetInt(k)),
            Width = Read(RunSpec.Keys.Width, k => run.GetDouble(k)),
            Ot = Text(RunSpec.Keys.Ot),
            WeightBits = Read(RunSpec.Keys.WeightBits, k => run.GetInt(k)),
            Preprocess = Text(RunSpec.Keys.Preprocess),
        };
    }
}
