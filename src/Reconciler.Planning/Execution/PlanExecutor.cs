using Reconciler.Ipvs;
using Reconciler.Planning.Plans;

namespace Reconciler.Planning.Execution;

/// <summary>
/// Executes a plan exactly as it is: every step once, in order. Consecutive IPVS steps go to the kernel as one
/// pipelined batch (the kernel handles them in order, so a service is created before its real servers);
/// an error fails only its own step, and execution goes on.
/// </summary>
public sealed class PlanExecutor(IIpvsClient ipvs, INodeAddresses addresses)
{
    public ApplyResult Execute(Plan plan, Action<StepResult>? onStep = null)
    {
        var results = new List<StepResult>(plan.Steps.Count);
        var index = 0;
        while (index < plan.Steps.Count)
        {
            if (plan.Steps[index] is AddressStep addressStep)
            {
                Report(ExecuteAddress(addressStep));
                index++;
                continue;
            }

            var batch = new List<PlanStep>();
            while (index < plan.Steps.Count && plan.Steps[index] is not AddressStep)
            {
                batch.Add(plan.Steps[index++]);
            }

            var operations = batch.Select(ToOperation).ToList();
            var outcomes = ipvs.Execute(operations);
            for (var i = 0; i < batch.Count; i++)
            {
                Report(new StepResult(batch[i], outcomes[i].Error?.Message));
            }
        }

        return new ApplyResult(results);

        void Report(StepResult result)
        {
            results.Add(result);
            onStep?.Invoke(result);
        }
    }

    private static IpvsOperation ToOperation(PlanStep step) => step switch
    {
        ServiceStep service => service.ToOperation(),
        DestinationStep destination => destination.ToOperation(),
        _ => throw new InvalidOperationException($"not an IPVS step: {step.Target}"),
    };

    private StepResult ExecuteAddress(AddressStep step)
    {
        try
        {
            if (step.Action == StepAction.Create)
            {
                addresses.Add(step.Interface, step.Address);
            }
            else
            {
                addresses.Remove(step.Interface, step.Address);
            }

            return new StepResult(step, null);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            return new StepResult(step, $"{(step.Action == StepAction.Create ? "add" : "remove")} {step.Target}: {e.Message}");
        }
    }
}
