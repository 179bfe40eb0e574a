namespace CoPriv.Models.Graph;

/// <summary>
/// A model that cannot be run: a shape mismatch, a dangling input, parameters of the wrong size. The message names
/// the node and says what was expected and what was found.
/// </summary>
public sealed class InvalidModelException : Exception
{
    public InvalidModelException(string message) : base(message) { }
}
