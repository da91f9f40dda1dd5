global using TopologyModel = Reconciler.Topology.Model.Topology;
