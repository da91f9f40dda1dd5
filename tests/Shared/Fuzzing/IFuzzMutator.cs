namespace Reconciler.Testing.Fuzzing;

/// <summary>Makes a new input from an old one. Deterministic for a given <see cref="Random"/> state.</summary>
internal interface IFuzzMutator
{
    byte[] Mutate(byte[] input, Random random);
}
