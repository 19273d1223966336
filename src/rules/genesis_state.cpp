// The state that genesis establishes: one record per organization and one per signing key, the
// governance record that names the cooperatives that govern, the chain parameters and the nodes
// (the genesis's validators).
#include <algorithm>

#include "coopchain/core/ed25519.h"
#include "coopchain/rules/rules.h"
#include "coopchain/state/world.h"

namespace coopchain {

StateChanges genesis_state(const Genesis& genesis) {
  StateChanges out;
  GovernanceRecord governance;
  for (const auto& org : genesis.organizations) {
    OrgRecord record{org.id, org.name, org.kind, org.accredited, org.accredited_schemes};
    for (const auto& pk : org.public_keys) {
      const std::string id = key_id(pk);
      record.key_ids.push_back(id);
      put_record(out, signing_key_key(id), KeyRecord{id, org.id});
    }
    put_record(out, org_key(org.id), record);
    governance.org_ids.push_back(org.id);
    if (org.kind == OrgKind::kCooperative) governance.governors.push_back(org.id);
  }
  std::sort(governance.governors.begin(), governance.governors.end());
  put_record(out, governance_key(), governance);
  put_record(out, params_key(), genesis.params);
  put_record(out, nodes_key(), genesis_nodes(genesis));
  return out;
}

NodeSetRecord genesis_nodes(const Genesis& genesis) {
  NodeSetRecord nodes;
  for (const auto& v : genesis.validators) {
    nodes.nodes.push_back({v.id, v.public_key, NodeRole::kValidator, v.tls_pin});
  }
  return nodes;
}

}  // namespace coopchain
