namespace Reconciler.Topology.Validation.Rules;

/// <summary>A real server's lower connection threshold lies below its upper one, and needs one.</summary>
public sealed class ThresholdOrderRule : ITopologyRule
{
    public string Code => "threshold-order";

    public void Check(ValidationContext context)
    {
        var services = context.Topology.Services;
        for (var s = 0; s < services.Count; s++)
        {
            for (var r = 0; r < services[s].RealServers.Count; r++)
            {
                var server = services[s].RealServers[r];
                if (server.LowerThreshold == 0)
                {
                    continue;
                }

                if (server.UpperThreshold == 0)
                {
                    context.Error(Code, Pointers.RealServer(s, r, "lowerThreshold"), $"lowerThreshold {server.LowerThreshold} needs an upperThreshold");
                }
                else if (server.LowerThreshold > server.UpperThreshold)
                {
                    context.Error(Code, Pointers.RealServer(s, r, "lowerThreshold"),
                        $"lowerThreshold {server.LowerThreshold} is above upperThreshold {server.UpperThreshold}");
                }
            }
        }
    }
}
