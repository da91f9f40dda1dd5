using Reconciler.Planning.Ownership;

namespace Reconciler.Planning.Tests.Fakes;

internal sealed class MemoryOwnershipStore : IOwnershipStore
{
    public OwnershipRecord Record { get; set; } = OwnershipRecord.Empty;

    public int Saves { get; private set; }

    public int Loads { get; private set; }

    /// <summary>When set, the save with this number (1-based, counted from now) "kills the process": it throws and
    /// the record stays as the previous save left it.</summary>
    public int? KillAtSave { get; set; }

    public OwnershipRecord Load()
    {
        Loads++;
        return Record;
    }

    public void Save(OwnershipRecord record)
    {
        if (KillAtSave is { } kill && --kill <= 0)
        {
            KillAtSave = null;
            throw new IOException("simulated kill of the process before the record was saved");
        }

        KillAtSave = KillAtSave is null ? null : KillAtSave - 1;
        Record = record;
        Saves++;
    }
}
