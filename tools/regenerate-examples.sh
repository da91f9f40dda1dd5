#!/usr/bin/env bash
# Rewrites the examples' expected topologies (examples/seed/topology.yaml, examples/large/topology.yaml) from their
# keepalived configurations with `reconciler import keepalived`, after a deliberate change to the importer or the YAML
# writer. The tests never write these files: Reconciler.Keepalived.Tests (SeedExampleTests, LargeExampleTests) checks
# that the import renders exactly what is checked in. Review the diff this prints before committing it.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
configuration=${CONFIGURATION:-Release}
schema=../../schemas/topology.schema.json

dotnet build "$root/src/Reconciler.Cli" -c "$configuration" -nologo -clp:ErrorsOnly
reconciler="$root/src/Reconciler.Cli/bin/$configuration/net10.0/reconciler"

# --address applies to nodes named on the command line (NODE=FILE): the large example's nodes are named here as their
# router_id would name them.
(
  cd "$root/examples/seed"
  "$reconciler" import keepalived lb1=lb1.keepalived.conf lb2=lb2.keepalived.conf \
    --address lb1=192.168.1.104 --address lb2=192.168.1.103 --schema-ref "$schema" -o topology.yaml
)
(
  cd "$root/examples/large"
  "$reconciler" import keepalived lb-a=lb-a.keepalived.conf lb-b=lb-b.keepalived.conf \
    --address lb-a=203.0.113.2 --address lb-a=2001:db8:10::2 \
    --address lb-b=203.0.113.3 --address lb-b=2001:db8:10::3 --schema-ref "$schema" -o topology.yaml
)

git -C "$root" diff --stat -- examples/seed/topology.yaml examples/large/topology.yaml
