#include "sim_chain.h"

#include "coopchain/core/hash.h"
#include "coopchain/wire/event_codec.h"
#include "test_keys.h"

namespace coopchain::sim {

PrivateKey derived_key(uint64_t seed, const std::string& label) {
  return testing::derive_key(std::to_string(seed) + "/" + label);
}

SignedTransaction register_farm(const Genesis& genesis, const PrivateKey& signer,
                                const std::string& farm_id, uint64_t nonce) {
  return testing::sign_event_json(
      signer, genesis.chain_id,
      R"({"registerFarm": {"farmId": ")" + farm_id +
          R"(", "plots": [{"plotId": "P-1", "areaM2": 10000, "crop": "COFFEE"}]}})",
      nonce);
}

SimChain make_sim_chain(uint64_t seed, int nodes, TimeMs genesis_time) {
  SimChain chain;
  chain.client = std::make_unique<PrivateKey>(derived_key(seed, "client"));
  Genesis& g = chain.genesis;
  g.chain_id = "sim-" + std::to_string(seed);
  g.genesis_time = genesis_time;
  g.params = RuleParams::defaults();
  g.params.default_country = "PE";  // as the devnet's
  g.organizations.push_back(
      {"coop-1", "Client cooperative", OrgKind::kCooperative, false, {chain.client->public_key()}});
  for (int i = 1; i <= nodes; ++i) {
    const std::string id = "node-" + std::to_string(i);
    chain.validator_keys.push_back(std::make_unique<PrivateKey>(derived_key(seed, id)));
    chain.validator_ids.push_back(id);
    g.validators.push_back({id, chain.validator_keys.back()->public_key()});
  }
  chain.genesis_changes = genesis_state(g);
  chain.block0.header = genesis_header(g, next_state_root(Hash256{}, 0, chain.genesis_changes));
  return chain;
}

}  // namespace coopchain::sim
