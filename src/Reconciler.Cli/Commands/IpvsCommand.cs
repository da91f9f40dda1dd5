using System.CommandLine;
using Reconciler.Cli.Output;
using Reconciler.Ipvs;
using Reconciler.Linux.Ipvs;

namespace Reconciler.Cli.Commands;

/// <summary><c>reconciler ipvs show [--format ipvsadm]</c>: the live IPVS table of this network namespace.</summary>
internal static class IpvsCommand
{
    public static Command Create()
    {
        var format = new Option<string>("--format")
        {
            Description = "'ipvsadm' prints exactly what 'ipvsadm -Sn' prints (diff it with your old tools); 'list' is like 'ipvsadm -Ln'.",
            DefaultValueFactory = _ => "list",
        };
        format.AcceptOnlyFromAmong("list", "ipvsadm");
        var show = new Command("show", "Print the live IPVS table.") { format };
        show.SetAction(parse =>
        {
            try
            {
                using var client = IpvsNetlinkClient.Open();
                var table = client.GetAll(withStatistics: false);
                Console.Out.Write(parse.GetValue(format) == "ipvsadm" ? IpvsadmFormat.Save(table) : IpvsadmFormat.List(client.GetInfo(), table));
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is IpvsException or Reconciler.Linux.Netlink.NetlinkException or IOException or UnauthorizedAccessException)
            {
                return Terminal.Fail(e.Message);
            }
        });
        return new Command("ipvs", "Inspect the kernel's IPVS table.") { show };
    }
}
