#include "golden_chain.h"

#include <map>
#include <random>
#include <sstream>
#include <stdexcept>
#include <tuple>
#include <vector>

#include "coopchain/consensus/block_check.h"
#include "coopchain/core/block.h"
#include "coopchain/core/civil_time.h"
#include "coopchain/core/ed25519.h"
#include "coopchain/rules/queries.h"
#include "coopchain/rules/rules.h"
#include "coopchain/wire/event_codec.h"
#include "test_genesis.h"
#include "test_keys.h"

namespace coopchain::golden {
namespace {

constexpr const char* kChainId = "coopchain-golden";
// Only the engine's raw output is used (never a std:: distribution, whose algorithm each
// standard library chooses), so every platform draws the same numbers.
constexpr uint64_t kSeed = 20261201;

const PrivateKey& key_of(const std::string& name) {
  return testing::key_for("coopchain/golden/" + name);
}

TimeMs at(const std::string& rfc3339) {
  auto t = parse_rfc3339(rfc3339);
  if (!t) throw std::logic_error("bad time in the golden chain: " + rfc3339);
  return *t;
}

std::string quoted(const std::string& s) {
  return "\"" + s + "\"";
}

Genesis golden_genesis() {
  Genesis g = testing::test_genesis(kChainId, at("2026-01-01T00:00:00Z"), "coopchain/golden/",
                                    testing::devnet_orgs_with_rivals(), 3);
  g.params.max_block_txs = 64;  // a non-default limit, so the genesis hash covers one
  return g;
}

// Blocks made the way a leader makes them: every offered transaction runs through the rules on
// the block's overlay; refused ones stay out (and their verdicts go into the transcript).
class ChainBuilder {
 public:
  ChainBuilder() : genesis_(golden_genesis()), rules_(genesis_) {
    const StateChanges changes = genesis_state(genesis_);
    state_.apply(changes, std::vector<Hash256>{});
    head_ = genesis_header(genesis_, next_state_root(Hash256{}, 0, changes));
    out_ << "genesis " << to_hex(genesis_hash(genesis_)) << "\n";
  }

  void offer(const std::string& org, const std::string& event_json) {
    offered_.emplace_back(org, event_json);
  }

  void seal() {
    const uint64_t height = head_.height + 1;
    const TimeMs time = at("2026-11-01T00:00:00Z") + static_cast<TimeMs>(height) * 60'000;
    StateOverlay overlay(state_);
    Block block;
    for (const auto& [org, json] : offered_) {
      SignedTransaction signed_tx = testing::sign_event_json(key_of(org), kChainId, json, ++nonce_);
      auto tx = wire::decode_verified_transaction(signed_tx);
      if (!tx.ok()) throw std::logic_error("golden transaction does not decode: " + json);
      const Verdict verdict = rules_.apply(overlay, *tx, {height, time});
      out_ << "tx " << offered_count_++ << " " << to_hex(tx->id) << " "
           << (verdict.ok() ? "OK" : rule_code_name(verdict.code)) << "\n";
      if (verdict.ok()) block.txs.push_back(std::move(signed_tx));
    }
    offered_.clear();
    StateChanges changes = overlay.changes();
    const StateOverlay::TxIds& ids = overlay.transactions();
    BlockHeader& h = block.header;
    h.height = height;
    h.prev_hash = block_hash(head_);
    h.tx_root = compute_tx_root(block.txs);
    h.state_root = next_state_root(head_.state_root, height, changes);
    h.time_ms = time;
    h.term = 1 + height / 10;
    const std::vector<Validator> validators = consensus::validators_for(state_, height);
    h.proposer = validators[height % validators.size()].id;
    // The block check every node and auditor runs must hold for each golden block.
    std::vector<Result<Transaction>> decoded;
    for (const auto& tx : block.txs) decoded.push_back(wire::decode_verified_transaction(tx));
    consensus::BlockVerdict verdict =
        consensus::check_block(rules_, {block, head_, state_, decoded, std::nullopt});
    if (!verdict.ok() || verdict.effects().changes != changes) {
      throw std::logic_error("golden block " + std::to_string(height) + " fails the block check: " +
                             (verdict.ok() ? "other changes" : verdict.fault().to_string()));
    }
    const Hash256 hash = block.hash();
    out_ << "block " << height << " " << block.txs.size() << " " << to_hex(hash) << " "
         << to_hex(h.state_root) << " "
         << to_hex(sha256(vote_sign_bytes(kChainId, h.term, height, hash))) << "\n";
    state_.apply(changes, std::vector<Hash256>(ids.begin(), ids.end()));
    head_ = h;
  }

  std::optional<LotRecord> lot(const std::string& id) const { return get_lot(state_, id); }
  std::string transcript() const { return out_.str(); }

 private:
  Genesis genesis_;
  Rules rules_;
  MemoryState state_;
  BlockHeader head_;
  std::vector<std::pair<std::string, std::string>> offered_;
  uint64_t nonce_ = 0;
  uint64_t offered_count_ = 0;
  std::ostringstream out_;
};

std::string polygon(int k) {
  // A square of about 245 m a side (6 ha) west of Moyobamba, one per farm.
  const std::string w = "-76." + std::to_string(5000 + k * 100);
  const std::string e = "-76." + std::to_string(5000 + k * 100 - 22);
  const std::string s = "-6.4800", n = "-6.4778";
  return R"({"type": "Polygon", "coordinates": [[[)" + w + "," + s + "],[" + e + "," + s + "],[" +
         e + "," + n + "],[" + w + "," + n + "],[" + w + "," + s + "]]]}";
}

std::string farm_json(int k) {
  const std::string id = "F-" + std::to_string(k);
  // Some name their species and country; the others take the crop's and the chain's.
  const std::string species = k % 5 == 3 ? R"("species": "Coffea canephora", )" : "";
  std::string plots = R"({"plotId": "P-1", "areaM2": 20000, "crop": "COFFEE", )" + species +
                      R"("geometry": {"type": "Point", "coordinates": [-76.)" +
                      std::to_string(5000 + k * 100) + ", -6.4700]}}";
  plots += R"(, {"plotId": "P-2", "areaM2": 60000, "crop": ")" +
           std::string(k % 3 == 2 ? "COCOA" : "COFFEE") + R"(", "geometry": )" + polygon(k) + "}";
  if (k % 4 == 0) plots += R"(, {"plotId": "P-3", "areaM2": 10000, "crop": "COFFEE"})";
  const std::string country = k % 3 == 1 ? R"("country": "CO", )" : "";
  return R"({"registerFarm": {"farmId": ")" + id + R"(", "farmerRef": "member )" +
         std::to_string(100 + k) + R"(", )" + country + R"("plots": [)" + plots + "]}}";
}

std::string assessment(const std::string& farm, const std::string& plot, const std::string& result,
                       const std::string& reference) {
  return R"({"assessPlot": {"farmId": ")" + farm + R"(", "plotId": ")" + plot +
         R"(", "result": ")" + result + R"(", "method": "satellite imagery 2020-2026", )" +
         R"("reference": ")" + reference + R"(", "assessedAt": "2026-10-28T00:00:00Z"}})";
}

std::string certificate(const std::string& id, const std::string& scheme, const std::string& holder,
                        const std::string& crops) {
  return R"({"issueCertificate": {"certificateId": ")" + id + R"(", "scheme": ")" + scheme +
         R"(", "holder": ")" + holder + R"(", "crops": [)" + crops +
         R"(], "validFrom": "2026-01-01T00:00:00Z", "validUntil": "2027-01-01T00:00:00Z"}})";
}

std::string membership(const std::string& cert, const std::string& farm, const std::string& status,
                       const std::string& conversion_start = "") {
  const std::string conversion =
      conversion_start.empty() ? "" : R"(, "conversionStart": ")" + conversion_start + R"(")";
  return R"({"setCertificateMember": {"certificateId": ")" + cert + R"(", "farmId": ")" + farm +
         R"(", "status": ")" + status + R"(")" + conversion +
         R"(, "effectiveAt": "2026-09-01T00:00:00Z", "reason": "ICS list 2026"}})";
}

std::string status_change(const std::string& id, const std::string& status,
                          const std::string& when) {
  return R"({"changeCertificateStatus": {"certificateId": ")" + id + R"(", "status": ")" + status +
         R"(", "effectiveAt": ")" + when + R"(", "reason": "inspection"}})";
}

std::string harvest(const std::string& lot, int farm, const std::string& plot, bool cocoa,
                    uint64_t grams, const std::string& when, const std::string& certs) {
  return R"({"harvest": {"lotId": ")" + lot + R"(", "farmId": "F-)" + std::to_string(farm) +
         R"(", "plotId": ")" + plot + R"(", "crop": ")" + (cocoa ? "COCOA" : "COFFEE") +
         R"(", "form": ")" + (cocoa ? "WET_BEANS" : "CHERRY") + R"(", "massG": )" +
         std::to_string(grams) + R"(, "harvestedAt": ")" + when + R"(", "certificateIds": [)" +
         certs + "]}}";
}

std::string transfer(const std::string& lot, const std::string& to, uint64_t grams,
                     const std::string& when) {
  return R"({"transfer": {"lotId": ")" + lot + R"(", "toOrganization": ")" + to +
         R"(", "massG": )" + std::to_string(grams) + R"(, "transferredAt": ")" + when + R"("}})";
}

std::string processing(const std::string& out,
                       const std::vector<std::pair<std::string, uint64_t>>& inputs,
                       const std::string& step, const std::string& form, uint64_t grams,
                       const std::string& when, const std::string& claims) {
  std::string list;
  for (const auto& [lot, g] : inputs) {
    if (!list.empty()) list += ",";
    list += R"({"lotId": ")" + lot + R"(", "massG": )" + std::to_string(g) + "}";
  }
  return R"({"processing": {"outputLotId": ")" + out + R"(", "inputs": [)" + list +
         R"(], "step": ")" + step + R"(", "outputForm": ")" + form + R"(", "outputMassG": )" +
         std::to_string(grams) + R"(, "processedAt": ")" + when +
         R"(", "facility": "Central mill", "claims": [)" + claims + R"(], "quality": )" +
         (form == "DRY_BEANS" || form == "WET_BEANS"
              ? R"({"grade": "Grade I", "moisturePerMille": 75, "cutTest":
                   {"wellFermentedPerMille": 820, "slatyPerMille": 15, "mouldyPerMille": 8}})"
              : R"({"grade": "SHB", "cupScoreTenths": 845, "moisturePerMille": 110})") +
         "}}";
}

std::string export_of(const std::string& id, const std::string& lot, uint64_t grams,
                      const std::string& country, const std::string& when,
                      const std::string& claims) {
  return R"({"export": {"exportId": ")" + id + R"(", "lots": [{"lotId": ")" + lot +
         R"(", "massG": )" + std::to_string(grams) + R"(}], "destinationCountry": ")" + country +
         R"(", "destinationPort": "PORT", "buyer": "Roastery", "hsCode": "090111",
         "shippedAt": ")" +
         when + R"(", "claims": [)" + claims + "]}}";
}

// The claims a lot carries, as a JSON list of scheme names.
std::string claims_of(const LotRecord& lot) {
  std::string out;
  for (const auto& c : lot.claims) {
    if (!out.empty()) out += ",";
    out += quoted(std::string(name_of(c.scheme)));
  }
  return out;
}

}  // namespace

std::string golden_transcript() {
  ChainBuilder chain;
  std::mt19937_64 rng(kSeed);

  // Farms, and registrations the rules refuse.
  for (int k = 0; k < 10; ++k) chain.offer(k % 2 == 0 ? "coop-1" : "coop-2", farm_json(k));
  chain.offer("coop-1", farm_json(3));                                         // FARM_EXISTS
  chain.offer("mill-1", farm_json(11));                                        // ROLE_NOT_ALLOWED
  chain.offer("coop-1", R"({"registerFarm": {"farmId": "F-BAD", "farmerRef": "x", "plots": [
      {"plotId": "P-1", "areaM2": 1000, "crop": "COFFEE", "geometry": {"type": "Polygon",
      "coordinates": [[[-76.5, -6.4], [-76.4, -6.4], [-76.4, -6.3]]]}}]}})");  // BAD_GEOMETRY
  chain.offer("coop-1", R"({"registerFarm": {"farmId": "F-XK", "country": "XK", "plots": [
      {"plotId": "P-1", "areaM2": 1000, "crop": "COFFEE"}]}})");               // BAD_COUNTRY
  chain.offer("coop-2", R"({"registerFarm": {"farmId": "F-TWICE", "plots": [
      {"plotId": "P-1", "areaM2": 60000, "crop": "COFFEE", "geometry": )" +
                            polygon(4) + "}]}}");  // PLOT_OVERLAP: F-4's P-2 again
  chain.seal();

  // F-2's P-1 was a Point: surveyed, it is a 6 ha polygon around it; coop-2 may not touch it.
  const std::string survey = R"({"updatePlot": {"farmId": "F-2", "plotId": "P-1", "areaM2": 60000,
      "geometry": {"type": "Polygon", "coordinates": [[[-76.5210, -6.4711], [-76.5188, -6.4711],
      [-76.5188, -6.4689], [-76.5210, -6.4689], [-76.5210, -6.4711]]]}}})";
  chain.offer("coop-1", survey);
  chain.offer("coop-2", survey);  // NOT_A_MEMBER
  // Deforestation assessments: F-3's P-1 is clear; F-7's P-2 was cleared after 2020, so what
  // it grew cannot go to the EU (EUDR_DEFORESTATION below); cert-2 is not accredited.
  chain.offer("cert-1", assessment("F-3", "P-1", "DEFORESTATION_FREE", "GFW-2026-0003"));
  chain.offer("cert-1", assessment("F-7", "P-2", "NOT_FREE", "GFW-2026-0007"));
  chain.offer("cert-2", assessment("F-1", "P-1", "DEFORESTATION_FREE", "GFW-2026-0001"));
  chain.seal();

  // Certificates of every scheme.
  const std::string both = R"("COFFEE","COCOA")", coffee = R"("COFFEE")";
  chain.offer("cert-1", certificate("C-ORG-1", "EU_ORGANIC", "coop-1", both));
  chain.offer("cert-1", certificate("C-ORG-2", "EU_ORGANIC", "coop-2", coffee));
  chain.offer("cert-1", certificate("C-USDA-2", "USDA_ORGANIC", "coop-2", coffee));
  chain.offer("cert-1", certificate("C-FT-1", "FAIRTRADE", "coop-1", coffee));
  chain.offer("cert-1", certificate("C-RA-2", "RAINFOREST_ALLIANCE", "coop-2", both));
  chain.offer("cert-1", certificate("C-MILL", "EU_ORGANIC", "mill-1", both));
  chain.offer("cert-1", certificate("C-MILL-FT", "FAIRTRADE", "mill-1", coffee));
  chain.offer("cert-1", certificate("C-EXP", "EU_ORGANIC", "exp-1", both));
  chain.offer("cert-1", certificate("C-F5", "EU_ORGANIC", "F-5", coffee));
  chain.offer("cert-2", certificate("C-BAD", "EU_ORGANIC", "coop-1", coffee));    // not accredited
  chain.offer("coop-1", certificate("C-SELF", "EU_ORGANIC", "coop-1", coffee));   // a cooperative
  chain.offer("cert-1", certificate("C-ORG-1", "EU_ORGANIC", "coop-1", coffee));  // CERT_EXISTS
  chain.seal();

  // The group certificates' members: each cooperative proposes its farms, the certifier
  // approves them (recording when their organic conversion started: F-3's in 2024, so its
  // harvests claiming C-ORG-2 are FARM_IN_CONVERSION); F-9 stays only proposed for C-RA-2 (its
  // harvests claiming it: FARM_NOT_IN_SCOPE) and coop-1 sanctions F-8 (FARM_SANCTIONED).
  for (int k = 0; k < 10; ++k) {
    const std::string farm = "F-" + std::to_string(k);
    const std::string coop = k % 2 == 0 ? "coop-1" : "coop-2";
    const std::string organic = k % 2 == 0 ? "C-ORG-1" : "C-ORG-2";
    const std::string other = k % 2 == 0 ? "C-FT-1" : "C-RA-2";
    chain.offer(coop, membership(organic, farm, "PROPOSED"));
    const std::string year = k == 3 ? "2024" : "2022";
    chain.offer("cert-1", membership(organic, farm, "APPROVED",
                                     year + "-0" + std::to_string(1 + k % 9) + "-01T00:00:00Z"));
    chain.offer(coop, membership(other, farm, "PROPOSED"));
    if (k != 9) chain.offer("cert-1", membership(other, farm, "APPROVED"));
  }
  chain.offer("coop-1", membership("C-ORG-1", "F-8", "SANCTIONED"));
  // Yield estimates: F-2's approved figure is low, so its later harvests claiming C-ORG-1 are
  // YIELD_ESTIMATE_EXCEEDED; F-0's is only proposed (the global cap alone); cert-2 did not issue
  // C-ORG-1 (CERT_NOT_ISSUER).
  const auto estimate = [](const std::string& event, const std::string& farm, int grams) {
    return R"({")" + event + R"(": {"certificateId": "C-ORG-1", "farmId": ")" + farm +
           R"(", "season": 2026, "form": "CHERRY", "massG": )" + std::to_string(grams) + "}}";
  };
  chain.offer("coop-1", estimate("setYieldEstimate", "F-0", 900'000));
  chain.offer("coop-1", estimate("setYieldEstimate", "F-2", 900'000));
  chain.offer("cert-1", estimate("approveYieldEstimate", "F-2", 400'000));
  chain.offer("cert-2", estimate("approveYieldEstimate", "F-0", 400'000));
  chain.offer("coop-1", membership("C-ORG-1", "F-6", "APPROVED"));  // CERT_NOT_ISSUER
  chain.offer("coop-2", membership("C-ORG-1", "F-6", "EXCLUDED"));  // CERT_NOT_ISSUER
  chain.offer("coop-1", membership("C-F5", "F-5", "PROPOSED"));     // CERT_HOLDER_MISMATCH
  chain.seal();

  // Harvests: ten blocks of twelve, with now and then one the rules refuse.
  std::vector<std::string> harvested;
  for (int b = 0; b < 10; ++b) {
    for (int i = 0; i < 12; ++i) {
      const int farm = static_cast<int>(rng() % 10);
      const bool second_plot = rng() % 2 == 0;
      const bool cocoa = second_plot && farm % 3 == 2;
      const std::string coop = farm % 2 == 0 ? "coop-1" : "coop-2";
      uint64_t grams = 20'000 + (rng() % 300) * 1'000;
      std::string certs;
      const uint64_t roll = rng() % 6;
      if (roll < 3) certs = quoted(farm % 2 == 0 ? "C-ORG-1" : "C-ORG-2");
      if (roll == 3) certs = quoted(farm % 2 == 0 ? "C-FT-1" : "C-RA-2");
      if (roll == 4 && farm == 5) certs = quoted("C-F5");
      std::string signer = coop;
      if (i == 7 && b % 3 == 0) signer = farm % 2 == 0 ? "coop-2" : "coop-1";  // NOT_A_MEMBER
      if (i == 9 && b % 4 == 1) grams = 900'000'000;                           // YIELD_IMPLAUSIBLE
      const std::string lot = "H-" + std::to_string(b) + "-" + std::to_string(i);
      const std::string day =
          "2026-10-0" + std::to_string(1 + b % 9) + "T0" + std::to_string(i % 10) + ":00:00Z";
      chain.offer(signer,
                  harvest(lot, farm, second_plot ? "P-2" : "P-1", cocoa, grams, day, certs));
      harvested.push_back(lot);
    }
    chain.seal();
  }

  // Every harvested lot goes to the mill; a fairtrade suspension makes some transfers drop it.
  chain.offer("cert-1", status_change("C-FT-1", "SUSPENDED", "2026-10-10T00:00:00Z"));
  chain.seal();
  size_t in_block = 0;
  std::vector<std::string> at_mill;
  for (const auto& id : harvested) {
    auto lot = chain.lot(id);
    if (!lot) continue;
    chain.offer(lot->owner, transfer(id, "mill-1", lot->mass_g, "2026-10-11T00:00:00Z"));
    at_mill.push_back(id);
    if (++in_block % 20 == 0) chain.seal();
  }
  chain.offer("coop-1", transfer("H-NONE", "mill-1", 1, "2026-10-11T00:00:00Z"));  // UNKNOWN_LOT
  chain.seal();
  chain.offer("cert-1", status_change("C-FT-1", "ACTIVE", "2026-10-12T00:00:00Z"));
  chain.seal();

  // Wet milling (coffee) and drying (cocoa), keeping the claims each lot carries.
  std::vector<std::string> parchment;
  in_block = 0;
  for (const auto& id : at_mill) {
    auto lot = chain.lot(id);
    if (!lot || lot->owner != "mill-1") continue;
    const bool cocoa = lot->crop == Crop::kCocoa;
    const std::string out = "P" + id;
    std::string step = processing(
        out, {{id, lot->mass_g}}, cocoa ? "DRYING" : "WET_MILL", cocoa ? "DRY_BEANS" : "PARCHMENT",
        lot->mass_g * (cocoa ? 400 : 240) / 1000, "2026-10-13T00:00:00Z", claims_of(*lot));
    // Every fourth step also yields a by-product lot: cascara or cocoa pulp.
    if (in_block % 4 == 0) {
      step.insert(step.size() - 2, R"(, "byProducts": [{"lotId": "C)" + id + R"(", "form": ")" +
                                       (cocoa ? "COCOA_PULP" : "CASCARA") + R"(", "massG": )" +
                                       std::to_string(lot->mass_g / 10) + "}]");
    }
    chain.offer("mill-1", step);
    if (!cocoa) parchment.push_back(out);
    if (++in_block % 16 == 0) chain.seal();
  }
  chain.seal();

  // Blends of pairs; one claims organic over a conventional input (ORGANIC_MIXING).
  std::vector<std::string> to_dry_mill;
  for (size_t i = 0; i + 1 < parchment.size(); i += 2) {
    auto a = chain.lot(parchment[i]);
    auto b = chain.lot(parchment[i + 1]);
    if (!a || !b) continue;
    if (i % 8 == 0) {
      const std::string out = "B" + parchment[i];
      chain.offer("mill-1",
                  processing(out, {{a->lot_id, a->mass_g}, {b->lot_id, b->mass_g}}, "BLEND",
                             "PARCHMENT", a->mass_g + b->mass_g, "2026-10-14T00:00:00Z",
                             i % 16 == 0 ? quoted("EU_ORGANIC") : ""));
      to_dry_mill.push_back(out);
    } else {
      to_dry_mill.push_back(a->lot_id);
      to_dry_mill.push_back(b->lot_id);
    }
  }
  chain.seal();

  // Dry milling, a split, inspections.
  std::vector<std::string> green;
  in_block = 0;
  for (const auto& id : to_dry_mill) {
    auto lot = chain.lot(id);
    if (!lot || lot->mass_g == 0) continue;
    const std::string out = "G" + id;
    chain.offer("mill-1",
                processing(out, {{id, lot->mass_g}}, "DRY_MILL", "GREEN", lot->mass_g * 800 / 1000,
                           "2026-10-15T00:00:00Z", claims_of(*lot)));
    green.push_back(out);
    if (++in_block % 16 == 0) chain.seal();
  }
  chain.seal();
  if (auto first = chain.lot(green.front())) {
    chain.offer("mill-1",
                processing(green.front() + "-A", {{first->lot_id, first->mass_g / 2}}, "SPLIT",
                           "GREEN", first->mass_g / 2, "2026-10-16T00:00:00Z", claims_of(*first)));
    chain.offer("mill-1", processing(green.front() + "-X", {{first->lot_id, first->mass_g}},
                                     "SPLIT", "GREEN", first->mass_g, "2026-10-16T00:00:00Z",
                                     ""));  // MASS_BALANCE_EXCEEDED: half of it is gone
  }
  for (size_t i = 0; i < green.size(); i += 5) {
    chain.offer("cert-1",
                R"({"certifyLot": {"lotId": ")" + green[i] +
                    R"(", "certificateId": "C-MILL", "inspectedAt": "2026-10-16T12:00:00Z",
                              "findings": "no residues found"}})");
  }
  chain.seal();
  // An inspection that fails (the lot loses its organic claim), a hold that stays (the lot is
  // not transferred below: LOT_ON_HOLD), one released, and a release of a lot never held
  // (LOT_NOT_HELD); a pass on a lot without the claim was CLAIM_NOT_SUPPORTED above wherever a
  // green lot had lost it by mixing.
  std::vector<std::string> organic;
  std::string conventional;
  for (const auto& id : green) {
    auto lot = chain.lot(id);
    if (lot && lot->find_claim(Scheme::kEuOrganic) != nullptr) {
      organic.push_back(id);
    } else if (lot) {
      conventional = id;
    }
  }
  const auto inspect_lot = [&](const std::string& event, const std::string& lot,
                               const std::string& when, const std::string& rest) {
    chain.offer("cert-1", R"({")" + event + R"(": {"lotId": ")" + lot +
                              R"(", "certificateId": "C-MILL", )" + when + ", " + rest + "}}");
  };
  if (organic.size() >= 3 && !conventional.empty()) {
    inspect_lot("certifyLot", organic[0], R"("inspectedAt": "2026-10-16T13:00:00Z")",
                R"("outcome": "FAIL", "findings": "sample 3",
                   "nonconformities": [{"code": "RESIDUE_DETECTED", "text": "chlorpyrifos"}])");
    inspect_lot("holdLot", organic[1], R"("heldAt": "2026-10-16T13:00:00Z")",
                R"("reason": "residue test pending")");
    inspect_lot("holdLot", organic[2], R"("heldAt": "2026-10-16T13:00:00Z")",
                R"("reason": "residue test pending")");
    chain.seal();
    inspect_lot("releaseLot", organic[2], R"("releasedAt": "2026-10-16T18:00:00Z")",
                R"("reason": "residue test negative")");
    inspect_lot("releaseLot", conventional, R"("releasedAt": "2026-10-16T18:00:00Z")",
                R"("reason": "never held")");
  }
  chain.seal();

  // To the exporter, then out: to Germany with the claims each lot carries, to the US without.
  in_block = 0;
  for (const auto& id : green) {
    auto lot = chain.lot(id);
    if (!lot || lot->mass_g == 0) continue;
    chain.offer("mill-1", transfer(id, "exp-1", lot->mass_g, "2026-10-17T00:00:00Z"));
    if (++in_block % 24 == 0) chain.seal();
  }
  chain.seal();
  // The exporter weighs some in: every third 1 kg short (a loss), one 0.4 % over (a scale
  // difference), one 1 % over (RECEPTION_MISMATCH); the rest it ships unweighed. Its samples:
  // every ninth lot's measured, one with an impossible screen (QUALITY_OUT_OF_RANGE).
  for (size_t i = 0; i < green.size(); i += 3) {
    auto lot = chain.lot(green[i]);
    if (!lot || lot->owner != "exp-1" || lot->mass_g < 2'000) continue;
    uint64_t grams = lot->mass_g - 1'000;
    std::string reason = "weighbridge at the port";
    if (i == 3 || i == 6) {
      grams = lot->mass_g + lot->mass_g * (i == 3 ? 4 : 10) / 1'000;
      reason.clear();
    }
    std::string sample;
    if (i % 9 == 0) {
      sample = R"(, "quality": {"grade": "SHB", "moisturePerMille": 112, "defectsPrimary": 2,
                  "defectsSecondary": 9, "screenSize": )" +
               std::string(i == 9 ? "21" : "16") + "}";
    }
    chain.offer("exp-1", R"({"receiveLot": {"lotId": ")" + green[i] + R"(", "massG": )" +
                             std::to_string(grams) +
                             R"(, "receivedAt": "2026-10-17T06:00:00Z", "reason": ")" + reason +
                             R"(")" + sample + "}}");
  }
  chain.seal();
  in_block = 0;
  int shipment = 0;
  for (const auto& id : green) {
    auto lot = chain.lot(id);
    if (!lot || lot->owner != "exp-1") continue;
    const bool eu = shipment % 3 != 2;
    const std::string export_id = "EXP-" + std::to_string(shipment++);
    chain.offer("exp-1", export_of(export_id, id, lot->mass_g - lot->mass_g / 10, eu ? "DE" : "US",
                                   "2026-10-18T00:00:00Z", eu ? claims_of(*lot) : ""));
    if (shipment % 7 == 0) {
      chain.offer("exp-1", export_of(export_id, id, 1, "NL", "2026-10-18T00:00:00Z",
                                     ""));  // EXPORT_EXISTS
      chain.offer("exp-1", export_of("EXP-OVER-" + export_id, id, lot->mass_g, "NL",
                                     "2026-10-18T00:00:00Z", ""));  // MASS_BALANCE_EXCEEDED
    }
    if (++in_block % 20 == 0) chain.seal();
  }
  chain.seal();

  // Governance: the two cooperatives add a second mill, accredit cert-2 for 4C and suspend the
  // exporter in one proposal (it passes at the second approval); mill-1 rotates its key; a
  // recovery of coop-1's keys is proposed and withdrawn.
  const auto key_hex = [](const std::string& name) { return to_hex(key_of(name).public_key()); };
  const std::string proposal = R"({"proposeChange": {"proposalId": "GOV-1",
      "expiresAt": "2026-12-01T00:00:00Z", "reason": "assembly of 1 November", "changes": [
      {"addOrganization": {"orgId": "mill-2", "name": "Mill 2", "kind": "PROCESSOR",
                           "publicKeys": [")" +
                               key_hex("mill-2") + R"("]}},
      {"setAccreditation": {"orgId": "cert-2", "scheme": "FOUR_C", "accredited": true}},
      {"setOrganizationStatus": {"orgId": "exp-1", "status": "ORG_SUSPENDED"}}]}})";
  chain.offer("coop-1", proposal);
  chain.offer("mill-1", proposal);  // NOT_A_GOVERNOR
  chain.offer("mill-2", R"({"addKey": {"publicKey": ")" + key_hex("mill-2b") + R"("}})");
  chain.offer("coop-1", R"({"approveChange": {"proposalId": "GOV-1"}})");  // DUPLICATE_APPROVAL
  chain.seal();
  chain.offer("coop-2", R"({"approveChange": {"proposalId": "GOV-1"}})");
  chain.offer("mill-2", R"({"addKey": {"publicKey": ")" + key_hex("mill-2b") + R"("}})");
  chain.offer("exp-1", R"({"addKey": {"publicKey": ")" + key_hex("exp-1b") + R"("}})");
  chain.offer("mill-1", R"({"addKey": {"publicKey": ")" + key_hex("mill-1b") + R"("}})");
  chain.offer("mill-1b", R"({"revokeKey": {"keyId": ")" + key_id(key_of("mill-1").public_key()) +
                             R"(", "reason": "laptop stolen"}})");
  chain.offer("mill-1", R"({"addKey": {"publicKey": ")" + key_hex("mill-1c") + R"("}})");
  chain.offer("coop-2", R"({"proposeChange": {"proposalId": "GOV-2",
      "expiresAt": "2026-12-01T00:00:00Z", "changes": [
      {"revokeOrganizationKey": {"orgId": "coop-1"}},
      {"addOrganizationKey": {"orgId": "coop-1", "publicKey": ")" +
                            key_hex("coop-1b") + R"("}}]}})");
  chain.offer("coop-2", R"({"withdrawProposal": {"proposalId": "GOV-2", "reason": "key found"}})");
  chain.offer("coop-1", R"({"approveChange": {"proposalId": "GOV-2"}})");  // PROPOSAL_CLOSED
  chain.seal();
  // Parameters: a tolerance, the block limits and the threshold itself change at the second
  // approval; a threshold below half is PARAMETER_OUT_OF_RANGE.
  chain.offer("coop-1", R"({"proposeChange": {"proposalId": "GOV-3",
      "expiresAt": "2026-12-01T00:00:00Z", "changes": [{"setParameters": {
      "receptionToleranceBp": 80, "maxBlockTxs": 1500, "governanceThresholdPerMille": 1000,
      "euCountries": {"countries": ["FR", "DE", "NL"]}}}]}})");
  chain.offer("coop-1", R"({"proposeChange": {"proposalId": "GOV-4",
      "expiresAt": "2026-12-01T00:00:00Z", "changes": [{"setParameters": {
      "governanceThresholdPerMille": 499}}]}})");  // PARAMETER_OUT_OF_RANGE
  chain.seal();
  chain.offer("coop-2", R"({"approveChange": {"proposalId": "GOV-3"}})");
  chain.seal();
  // Nodes (all cooperatives approve now): node-4 joins as a learner and is promoted in the same
  // block, so a second validator change there is MEMBERSHIP_CHANGE_PENDING; the next block
  // removes node-1 and gives node-2 a new address; an observer joins after, in a block that
  // node-2, node-3 and node-4 certify.
  const auto pass = [&](const std::string& id, const std::string& changes) {
    chain.offer("coop-1", R"({"proposeChange": {"proposalId": ")" + id +
                              R"(", "expiresAt": "2026-12-01T00:00:00Z", "changes": [)" + changes +
                              "]}}");
    chain.offer("coop-2", R"({"approveChange": {"proposalId": ")" + id + R"("}})");
  };
  pass("GOV-5", R"({"addNode": {"nodeId": "node-4", "orgId": "coop-2", "role": "LEARNER",
      "voteKey": ")" +
                    key_hex("node-4-vote") + R"(", "peerAddress": "coop2.example:7001"}})");
  pass("GOV-6", R"({"promoteNode": {"nodeId": "node-4"}})");
  pass("GOV-7", R"({"removeNode": {"nodeId": "node-1"}})");  // MEMBERSHIP_CHANGE_PENDING
  chain.seal();
  pass("GOV-7", R"({"removeNode": {"nodeId": "node-1"}})");
  pass("GOV-8", R"({"rotateNode": {"nodeId": "node-2", "peerAddress": "coop1.example:7002"}})");
  pass("GOV-9", R"({"promoteNode": {"nodeId": "node-9"}})");  // UNKNOWN_NODE
  chain.seal();
  pass("GOV-10", R"({"addNode": {"nodeId": "obs-1", "orgId": "cert-1", "role": "OBSERVER",
      "voteKey": ")" +
                     key_hex("obs-1-vote") + R"(", "peerAddress": "cert1.example:7001"}})");
  chain.seal();
  return chain.transcript();
}

}  // namespace coopchain::golden
