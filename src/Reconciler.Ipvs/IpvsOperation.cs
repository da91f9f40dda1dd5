namespace Reconciler.Ipvs;

/// <summary>
/// One write to the kernel's IPVS table. A batch of these can be sent pipelined
/// (<see cref="IIpvsClient.Execute"/>), each error still attributed to its own operation.
/// </summary>
public abstract record IpvsOperation
{
    private protected IpvsOperation()
    {
    }

    /// <summary>Names the operation and its object the way error messages do:
    /// <c>add real server 10.0.0.5:80 to TCP 10.0.0.120:80</c>.</summary>
    public abstract string Describe();
}

public sealed record AddService(IpvsService Service) : IpvsOperation
{
    public override string Describe() => $"add service {Service.Key}";
}

public sealed record UpdateService(IpvsService Service) : IpvsOperation
{
    public override string Describe() => $"edit service {Service.Key}";
}

public sealed record DeleteService(ServiceKey Key) : IpvsOperation
{
    public override string Describe() => $"delete service {Key}";
}

public sealed record AddDestination(ServiceKey Service, IpvsDestination Destination) : IpvsOperation
{
    public override string Describe() => $"add real server {Destination.Endpoint} to {Service}";
}

public sealed record UpdateDestination(ServiceKey Service, IpvsDestination Destination) : IpvsOperation
{
    public override string Describe() => $"edit real server {Destination.Endpoint} of {Service}";
}

public sealed record DeleteDestination(ServiceKey Service, System.Net.IPAddress Address, ushort Port) : IpvsOperation
{
    public override string Describe() => $"delete real server {Endpoints.Format(Address, Port)} from {Service}";
}

/// <summary>The outcome of one operation of a batch: <see cref="Error"/> is null on success.</summary>
public sealed record IpvsOperationResult(IpvsOperation Operation, IpvsException? Error)
{
    public bool Succeeded => Error is null;
}
