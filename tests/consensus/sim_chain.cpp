#include "sim_chain.h"

#include "coopchain/core/civil_time.h"
#include "coopchain/core/ed25519.h"
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

SignedTransaction workload_tx(const Genesis& genesis, const PrivateKey& client,
                              const PrivateKey& certifier_key, int k, TimeMs at) {
  constexpr int kCycle = 12;
  const int index = k / kCycle;
  const std::string farm = "F-" + std::to_string(index);
  const std::string cert = "C-" + std::to_string(index);
  const std::string lot = "H-" + std::to_string(index);
  const std::string when = format_rfc3339(at);
  const bool in_conversion = index % 3 == 0;
  const auto nonce = static_cast<uint64_t>(k);
  const auto coop = [&](const std::string& json) {
    return testing::sign_event_json(client, genesis.chain_id, json, nonce);
  };
  const auto certifier = [&](const std::string& json) {
    return testing::sign_event_json(certifier_key, genesis.chain_id, json, nonce);
  };
  const std::string about_lot =
      R"("lotId": ")" + lot + R"(", "certificateId": ")" + cert + R"(", )";
  const std::string about_estimate = R"("certificateId": ")" + cert + R"(", "farmId": ")" + farm +
                                     R"(", "season": )" + std::to_string(utc_year_of(at)) +
                                     R"(, "form": "CHERRY", )";
  switch (k % kCycle) {
    case 1:
      return certifier(R"({"issueCertificate": {"certificateId": ")" + cert +
                       R"(", "scheme": "EU_ORGANIC", "holder": "coop-1", "crops": ["COFFEE"],
                          "validFrom": ")" +
                       format_rfc3339(at - 86'400'000) + R"(", "validUntil": ")" +
                       format_rfc3339(at + 365 * 86'400'000LL) + R"("}})");
    case 2:
    case 3: {
      // Only the certifier approves and records when the conversion started.
      const bool approve = k % kCycle == 3;
      const std::string conversion = R"(", "conversionStart": ")" +
                                     std::string(in_conversion ? "2025" : "2020") +
                                     "-01-01T00:00:00Z";
      const std::string json = R"({"setCertificateMember": {"certificateId": ")" + cert +
                               R"(", "farmId": ")" + farm + R"(", "status": ")" +
                               (approve ? "APPROVED" + conversion : std::string("PROPOSED")) +
                               R"(", "effectiveAt": ")" + when + R"("}})";
      return approve ? certifier(json) : coop(json);
    }
    case 4:
      return coop(R"({"setYieldEstimate": {)" + about_estimate + R"("massG": 8000}})");
    case 5:
      return certifier(R"({"approveYieldEstimate": {)" + about_estimate + R"("massG": 6000}})");
    case 6:
      return coop(R"({"harvest": {"lotId": ")" + lot + R"(", "farmId": ")" + farm +
                  R"(", "plotId": "P-1", "crop": "COFFEE", "form": "CHERRY", "massG": 5000,
                     "harvestedAt": ")" +
                  when + R"(", "certificateIds": [")" + cert + R"("]}})");
    case 7:
      return certifier(R"({"holdLot": {)" + about_lot + R"("heldAt": ")" + when +
                       R"(", "reason": "residue test pending"}})");
    case 8:
      if (index % 2 == 0) {
        return certifier(R"({"releaseLot": {)" + about_lot + R"("releasedAt": ")" + when +
                         R"(", "reason": "negative"}})");
      }
      return certifier(R"({"certifyLot": {)" + about_lot + R"("inspectedAt": ")" + when +
                       R"(", "outcome": "FAIL", "nonconformities": [{"code": "RESIDUE_DETECTED",
                          "text": "0.02 mg/kg"}]}})");
    case 10: {
      // Governance: coop-1, the one cooperative, passes its own proposals at once. An even
      // cycle admits an exporter and changes the block limit (to 5 transactions, then back to
      // the default): the blocks after it are checked against the limit in force; an odd one
      // suspends the exporter admitted before.
      const std::string exporter = "exp-" + std::to_string(index - index % 2);
      const std::string change =
          index % 2 == 0
              ? R"({"addOrganization": {"orgId": ")" + exporter + R"(", "name": "Exporter",
                    "kind": "EXPORTER", "publicKeys": [")" +
                    to_hex(testing::key_for("sim/" + exporter).public_key()) + R"("]}},
                    {"setParameters": {"maxBlockTxs": )" +
                    (index % 4 == 0 ? "5" : "2000") + "}}"
              : R"({"setOrganizationStatus": {"orgId": ")" + exporter +
                    R"(", "status": "ORG_SUSPENDED"}})";
      return coop(R"({"proposeChange": {"proposalId": "GOV-)" + std::to_string(index) +
                  R"(", "expiresAt": ")" + format_rfc3339(at + 86'400'000) + R"(", "changes": [)" +
                  change + "]}}");
    }
    case 11: {
      // A spare key added in an even cycle, revoked in the odd one after.
      const std::string spare = "sim/spare-" + std::to_string(index - index % 2);
      if (index % 2 == 0) {
        return coop(R"({"addKey": {"publicKey": ")" + to_hex(testing::key_for(spare).public_key()) +
                    R"("}})");
      }
      return coop(R"({"revokeKey": {"keyId": ")" + key_id(testing::key_for(spare).public_key()) +
                  R"(", "reason": "spare key retired"}})");
    }
    default:  // 0 registers the farm, 9 registers it again
      return register_farm(genesis, client, farm, nonce);
  }
}

PrivateKey node_key(uint64_t seed, const std::string& node_id, bool rotated) {
  return derived_key(seed, rotated ? node_id + "/rotated" : node_id);
}

namespace {

std::string add_learner(uint64_t seed, const std::string& id) {
  return R"({"addNode": {"nodeId": ")" + id +
         R"(", "orgId": "coop-1", "role": "LEARNER", "voteKey": ")" +
         to_hex(node_key(seed, id, false).public_key()) + R"(", "peerAddress": "sim:1"}})";
}

std::string node_change(const char* kind, const std::string& id) {
  return std::string(R"({")") + kind + R"(": {"nodeId": ")" + id + R"("}})";
}

// coop-1's proposal `NODES-k` of `changes` (JSON objects, comma-separated), passed at once.
SignedTransaction proposal_of(const Genesis& genesis, const PrivateKey& client, int k, TimeMs at,
                              const std::string& changes) {
  return testing::sign_event_json(
      client, genesis.chain_id,
      R"({"proposeChange": {"proposalId": "NODES-)" + std::to_string(k) + R"(", "expiresAt": ")" +
          format_rfc3339(at + 86'400'000) + R"(", "changes": [)" + changes + "]}}",
      static_cast<uint64_t>(1'000'000 + k));
}

}  // namespace

SignedTransaction membership_tx(const Genesis& genesis, const PrivateKey& client, uint64_t seed,
                                int nodes, int k, TimeMs at) {
  const std::string spare = "node-" + std::to_string(nodes + 1);
  std::string change;
  switch (k % 7) {
    case 0:
      change = add_learner(seed, spare);
      break;
    case 1:
      change = node_change("promoteNode", spare);
      break;
    case 2:
      change = node_change("removeNode", "node-1");
      break;
    case 3:
      change = add_learner(seed, "node-1");
      break;
    case 4:
      change = node_change("promoteNode", "node-1");
      break;
    case 5:
      change = R"({"rotateNode": {"nodeId": "node-2", "voteKey": ")" +
               to_hex(node_key(seed, "node-2", (k / 7) % 2 == 0).public_key()) + R"("}})";
      break;
    default:
      change = node_change("removeNode", spare);
      break;
  }
  return proposal_of(genesis, client, k, at, change);
}

SignedTransaction paired_membership_tx(const Genesis& genesis, const PrivateKey& client,
                                       uint64_t seed, int nodes, int k, TimeMs at) {
  const std::string a = "node-" + std::to_string(nodes + 1);
  const std::string b = "node-" + std::to_string(nodes + 2);
  const auto both = [](const std::string& x, const std::string& y) { return x + ", " + y; };
  const std::string steps[] = {
      both(add_learner(seed, a), add_learner(seed, b)),
      both(node_change("promoteNode", a), node_change("promoteNode", b)),
      node_change("promoteNode", a),
      node_change("promoteNode", b),
      both(node_change("removeNode", a), node_change("removeNode", b)),
      node_change("removeNode", a),
      node_change("removeNode", b),
  };
  return proposal_of(genesis, client, k, at, steps[k % 7]);
}

SimChain make_sim_chain(uint64_t seed, int nodes, TimeMs genesis_time) {
  SimChain chain;
  chain.client = std::make_unique<PrivateKey>(derived_key(seed, "client"));
  chain.certifier = std::make_unique<PrivateKey>(derived_key(seed, "certifier"));
  Genesis& g = chain.genesis;
  g.chain_id = "sim-" + std::to_string(seed);
  g.genesis_time = genesis_time;
  g.params = RuleParams::defaults();
  g.params.default_country = "PE";  // as the devnet's
  g.organizations.push_back(
      {"coop-1", "Client cooperative", OrgKind::kCooperative, false, {chain.client->public_key()}});
  g.organizations.push_back(
      {"cert-1", "Certifier", OrgKind::kCertifier, true, {chain.certifier->public_key()}});
  for (int i = 1; i <= nodes; ++i) {
    const std::string id = "node-" + std::to_string(i);
    chain.validator_keys.push_back(std::make_unique<PrivateKey>(node_key(seed, id, false)));
    chain.validator_ids.push_back(id);
    g.validators.push_back({id, chain.validator_keys.back()->public_key()});
  }
  chain.genesis_changes = genesis_state(g);
  chain.block0.header = genesis_header(g, next_state_root(Hash256{}, 0, chain.genesis_changes));
  return chain;
}

}  // namespace coopchain::sim
