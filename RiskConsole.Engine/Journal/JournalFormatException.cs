namespace RiskConsole.Engine.Journal;

/// <summary>A file that is not a journal this console can use (not SQLite, another application's database, a newer schema); the message is one line that says which.</summary>
public sealed class JournalFormatException : Exception
{
    public JournalFormatException()
    {
    }

    public JournalFormatException(string message)
        : base(message)
    {
    }

    public JournalFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
