using Reconciler.Ipvs;
using Reconciler.Planning.Plans;

namespace Reconciler.Planning.Execution;

/// <summary>
/// Executes a plan exactly as it is: every step once, in order. Consecutive IPVS steps go to the kernel as one
/// pipelined batch (the kernel handles them in order, so a service is created before its real servers).
/// <para>A failed step never stops the others: its error is recorded with the object it was for and the kernel's
/// reason, and execution goes on. A step that depended on a failed one (a real server of a service that could not be
/// created) fails on its own with the kernel's error; the next reconcile plans again from what is then true, so the
/// node converges once the cause is gone.</para>
/// </summary>
public sealed class PlanExecutor(IIpvsClient ipvs, INodeAddresses addresses, INodeSysctls sysctls, INodeRoutes routes)
{
    public PlanExecutor(IIpvsClient ipvs, INodeAddresses addresses, INodeSysctls sysctls)
        : this(ipvs, addresses, sysctls, NoNodeRoutes.Instance)
    {
    }

    public PlanExecutor(IIpvsClient ipvs, INodeAddresses addresses)
        : this(ipvs, addresses, NoNodeSysctls.Instance)
    {
    }

    public ApplyResult Execute(Plan plan, Action<StepResult>? onStep = null)
    {
        var results = new List<StepResult>(plan.Steps.Count);
        var index = 0;
        while (index < plan.Steps.Count)
        {
            var step = plan.Steps[index];
            if (!IsIpvs(step))
            {
                Report(ExecuteOne(step));
                index++;
                continue;
            }

            var batch = new List<PlanStep>();
            while (index < plan.Steps.Count && IsIpvs(plan.Steps[index]))
            {
                batch.Add(plan.Steps[index++]);
            }

            foreach (var result in ExecuteBatch(batch))
            {
                Report(result);
            }
        }

        return new ApplyResult(results);

        void Report(StepResult result)
        {
            results.Add(result);
            onStep?.Invoke(result);
        }
    }

    private static bool IsIpvs(PlanStep step) => step is ServiceStep or DestinationStep;

    private IEnumerable<StepResult> ExecuteBatch(List<PlanStep> batch)
    {
        IReadOnlyList<IpvsOperationResult> outcomes;
        try
        {
            outcomes = ipvs.Execute(batch.Select(ToOperation).ToList());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The batch as a whole could not be sent (the socket failed): every step of it failed, with that reason.
            return batch.Select(step => new StepResult(step, $"{Describe(step)}: {e.Message}"));
        }

        // The kernel's error names the operation and its object already ("add service TCP 10.1.0.1:80: ...").
        return batch.Select((step, i) => new StepResult(step, outcomes[i].Error?.Message));
    }

    private static IpvsOperation ToOperation(PlanStep step) => step switch
    {
        ServiceStep service => service.ToOperation(),
        DestinationStep destination => destination.ToOperation(),
        _ => throw new InvalidOperationException($"not an IPVS step: {step.Target}"),
    };

    private StepResult ExecuteOne(PlanStep step)
    {
        try
        {
            switch (step)
            {
                case AddressStep { Action: StepAction.Create } address:
                    addresses.Add(address.Interface, address.Address);
                    break;
                case AddressStep address:
                    addresses.Remove(address.Interface, address.Address);
                    break;
                case RouteStep { Action: StepAction.Delete } route:
                    routes.Remove(route.Route);
                    break;
                case RouteStep route:
                    routes.Add(route.Route, replace: route.Action == StepAction.Update);
                    break;
                case RuleStep { Action: StepAction.Delete } rule:
                    routes.Remove(rule.Rule);
                    break;
                case RuleStep rule:
                    routes.Add(rule.Rule);
                    break;
                case SysctlStep sysctl:
                    sysctls.Write(sysctl.Name, sysctl.New);
                    break;
                case SyncDaemonStep { Action: StepAction.Create } start:
                    ipvs.StartSyncDaemon(start.Settings);
                    break;
                case SyncDaemonStep { Action: StepAction.Update } restart:
                    ipvs.StopSyncDaemon(restart.Settings.State);
                    ipvs.StartSyncDaemon(restart.Settings);
                    break;
                case SyncDaemonStep stop:
                    ipvs.StopSyncDaemon(stop.Settings.State);
                    break;
                default:
                    throw new InvalidOperationException($"no executor for {step.GetType().Name}");
            }

            return new StepResult(step, null);
        }
        catch (IpvsException e) when (step is SyncDaemonStep)
        {
            // The netlink client's error names the operation already ("start IPVS sync daemon Master on eth0: ...").
            return new StepResult(step, e.Message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new StepResult(step, $"{Describe(step)}: {e.Message}");
        }
    }

    /// <summary>The operation and its object, as a failure names them: <c>add address 10.0.0.1/32 on lo</c>.</summary>
    private static string Describe(PlanStep step) => step switch
    {
        AddressStep { Action: StepAction.Create } a => $"add {a.Target}",
        AddressStep a => $"remove {a.Target}",
        SysctlStep s => $"set {s.Target} to {s.New}",
        RouteStep { Action: StepAction.Create } r => $"add {r.Target}",
        RouteStep { Action: StepAction.Update } r => $"replace {r.Target}",
        RuleStep { Action: StepAction.Create } r => $"add {r.Target}",
        RouteStep or RuleStep => $"remove {step.Target}",
        SyncDaemonStep { Action: StepAction.Create } d => $"start {d.Target}",
        SyncDaemonStep { Action: StepAction.Update } d => $"restart {d.Target}",
        SyncDaemonStep d => $"stop {d.Target}",
        _ => $"{step.Action.ToString().ToLowerInvariant()} {step.Target}",
    };
}
