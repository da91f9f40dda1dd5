using Reconciler.Planning.Ownership;

namespace Reconciler.Planning.Tests.Fakes;

internal sealed class MemoryOwnershipStore : IOwnershipStore
{
    public OwnershipRecord Record { get; set; } = OwnershipRecord.Empty;

    public int Saves { get; private set; }

    public OwnershipRecord Load() => Record;

    public void Save(OwnershipRecord record)
    {
        Record = record;
        Saves++;
    }
}
