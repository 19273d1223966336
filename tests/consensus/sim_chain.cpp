#include "sim_chain.h"

#include "coopchain/core/hash.h"
#include "coopchain/wire/event_codec.h"

namespace coopchain::sim {

PrivateKey derived_key(uint64_t seed, const std::string& label) {
  return std::move(PrivateKey::from_seed(
                       Sha256Builder::as_view(sha256(std::to_string(seed) + "/" + label))))
      .value();
}

SignedTransaction register_farm(const Genesis& genesis, const PrivateKey& signer,
                                const std::string& farm_id, uint64_t nonce) {
  v1::Event event;
  auto* farm = event.mutable_register_farm();
  farm->set_farm_id(farm_id);
  auto* plot = farm->add_plots();
  plot->set_plot_id("P-1");
  plot->set_area_m2(10000);
  plot->set_crop(v1::COFFEE);
  const std::string payload =
      wire::encode_payload(genesis.chain_id, signer.public_key(), nonce, event);
  return {payload, signer.sign(payload)};
}

SimChain make_sim_chain(uint64_t seed, int nodes, TimeMs genesis_time) {
  SimChain chain;
  chain.client = std::make_unique<PrivateKey>(derived_key(seed, "client"));
  Genesis& g = chain.genesis;
  g.chain_id = "sim-" + std::to_string(seed);
  g.genesis_time = genesis_time;
  g.params = RuleParams::defaults();
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
