namespace Reconciler.Planning.Ownership;

/// <summary>Where the ownership record lives between runs.</summary>
public interface IOwnershipStore
{
    OwnershipRecord Load();

    void Save(OwnershipRecord record);
}
