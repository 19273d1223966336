// A small in-memory chain for the rules tests: a genesis with the devnet's organizations (plus a
// second cooperative and an unaccredited certifier), deterministic keys, event builders, and a
// "standard world" of farms, certificates and lots that most cases start from.
#pragma once

#include <functional>

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "coopchain/core/civil_time.h"
#include "coopchain/core/ed25519.h"
#include "coopchain/rules/queries.h"
#include "coopchain/rules/rules.h"
#include "test_genesis.h"
#include "test_keys.h"

namespace coopchain::testing {

inline TimeMs at(const char* rfc3339) {
  return *parse_rfc3339(rfc3339);
}
inline const TimeMs kNow = at("2026-11-20T00:00:00Z");  // the block time of every test block
inline constexpr const char* kChain = "coopchain-test";

inline Geometry point(int64_t lon_e7 = -765200000, int64_t lat_e7 = -64800000) {
  return Geometry{Geometry::Type::kPoint, {{{lon_e7, lat_e7}}}, ""};
}
// A square `side` × 1e-7 degrees wide: the default (0.001°) covers 12,232 m² at −6.48°, a
// side of 22,000 (0.0022°) 59,205 m².
inline Geometry square(int64_t lon_e7 = -765200000, int64_t lat_e7 = -64800000,
                       int64_t side = 10000) {
  return Geometry{Geometry::Type::kPolygon,
                  {{{lon_e7, lat_e7},
                    {lon_e7 + side, lat_e7},
                    {lon_e7 + side, lat_e7 + side},
                    {lon_e7, lat_e7 + side},
                    {lon_e7, lat_e7}}},
                  ""};
}

// A 0.001° square 2 km east of the standard world's plots: land no farm has registered.
inline Geometry free_square() {
  return square(-765000000, -64800000);
}

inline Event register_farm(std::string id, std::vector<Plot> plots) {
  return RegisterFarm{std::move(id), "member 0042", std::move(plots), ""};
}
inline Plot plot(std::string id, uint64_t area, Crop crop, Geometry g) {
  return Plot{std::move(id), area, crop, std::move(g), ""};
}
inline Event harvest(std::string lot, std::string farm, std::string plot_id, uint64_t mass,
                     TimeMs t, std::vector<std::string> certs = {}, Crop crop = Crop::kCoffee) {
  return Harvest{std::move(lot),
                 std::move(farm),
                 std::move(plot_id),
                 crop,
                 crop == Crop::kCoffee ? Form::kCherry : Form::kWetBeans,
                 mass,
                 t,
                 std::move(certs)};
}
inline Event issue(std::string id, Scheme scheme, std::string holder,
                   std::vector<Crop> crops = {Crop::kCoffee},
                   TimeMs from = at("2026-01-01T00:00:00Z"),
                   TimeMs until = at("2027-01-01T00:00:00Z")) {
  return IssueCertificate{std::move(id), scheme, std::move(holder), std::move(crops), from, until};
}
inline Event change_status(std::string id, CertStatus status, TimeMs t) {
  return ChangeCertificateStatus{std::move(id), status, t, "audit finding"};
}
inline Event certify(std::string lot, std::string cert, TimeMs t) {
  return CertifyLot{std::move(lot), std::move(cert), t, "no findings"};
}
inline Event fail_inspection(std::string lot, std::string cert, TimeMs t,
                             std::string code = "RESIDUE_DETECTED") {
  return CertifyLot{
      std::move(lot),   std::move(cert),          t,
      "sample 7 of 12", InspectionOutcome::kFail, {{std::move(code), "glyphosate 0.02 mg/kg"}}};
}
inline Event hold(std::string lot, std::string cert, TimeMs t) {
  return HoldLot{std::move(lot), std::move(cert), t, "residue test pending"};
}
inline Event release(std::string lot, std::string cert, TimeMs t) {
  return ReleaseLot{std::move(lot), std::move(cert), t, "residue test negative"};
}
inline Event assess(std::string farm, std::string plot_id, Deforestation result,
                    TimeMs t = at("2026-11-01T00:00:00Z")) {
  return AssessPlot{std::move(farm), std::move(plot_id),
                    result,          "satellite imagery 2020-2026",
                    "GFW-2026-0042", t};
}
inline Event set_member(std::string cert, std::string farm, MemberStatus status,
                        TimeMs effective = at("2026-09-01T00:00:00Z"),
                        TimeMs conversion_start = 0) {
  return SetCertificateMember{std::move(cert),  std::move(farm), status,
                              conversion_start, effective,       "ICS list 2026"};
}
inline Event transfer(std::string lot, std::string to, uint64_t mass, TimeMs t) {
  return Transfer{std::move(lot), std::move(to), mass, t};
}
inline Event process(std::string out, std::vector<LotAmount> inputs, ProcessingStep step, Form form,
                     uint64_t mass, TimeMs t, std::vector<Scheme> claims = {}) {
  return Processing{std::move(out),    std::move(inputs),       step, form, mass, "Central mill", t,
                    std::move(claims), Quality{"SHB", 845, 110}};
}
inline Event ship(std::string id, std::vector<LotAmount> lots, std::string country, TimeMs t,
                  std::vector<Scheme> claims = {}) {
  return Export{
      std::move(id),    std::move(lots), std::move(country), "DEHAM", "Roastery GmbH", "090111", t,
      std::move(claims)};
}

// ---- Governance ----
// The raw public key a test organization (or a second key, "coop-1b") signs with.
inline std::string public_key_of(const std::string& name) {
  return key_for("seed/" + name).public_key();
}
inline std::string key_id_of(const std::string& name) {
  return key_id(public_key_of(name));
}
inline Event propose(std::string id, std::vector<GovernanceChange> changes,
                     TimeMs expires = at("2026-12-20T00:00:00Z")) {
  return ProposeChange{std::move(id), std::move(changes), expires, "general assembly"};
}
inline Event approve_change(std::string id) {
  return ApproveChange{std::move(id)};
}
inline GovernanceChange add_org(const std::string& id, OrgKind kind) {
  return AddOrganization{id, "Org " + id, kind, {public_key_of(id)}};
}
inline GovernanceChange set_org_status(std::string id, OrgStatus status) {
  return SetOrganizationStatus{std::move(id), status};
}

class TestChain {
 public:
  // `edit` may change the genesis (its parameters) before the chain starts.
  explicit TestChain(const std::function<void(Genesis&)>& edit = {}) {
    genesis_ =
        test_genesis(kChain, at("2026-01-01T00:00:00Z"), "seed/", devnet_orgs_with_rivals(), 0);
    if (edit) edit(genesis_);
    rules_ = std::make_unique<Rules>(genesis_);
    base_.apply(genesis_state(genesis_), {});
    block_ = std::make_unique<StateOverlay>(base_);
  }

  // A key for any name; only the genesis organizations' keys are registered.
  static const PrivateKey& key(const std::string& org) { return key_for("seed/" + org); }

  // Builds a transaction; its id is derived from `label` when given, else from a counter.
  Transaction tx(const std::string& org, Event event, const std::string& label = "",
                 const std::string& chain = kChain) {
    Transaction t;
    t.id = sha256(label.empty() ? "tx/" + std::to_string(seq_++) : "tx/label/" + label);
    t.chain_id = chain;
    t.public_key = key(org).public_key();
    t.signer_key_id = key_id(t.public_key);
    t.event = std::move(event);
    return t;
  }

  Verdict submit(const Transaction& t, TimeMs block_time = kNow) {
    return rules_->apply(*block_, t, BlockContext{height_, block_time});
  }
  Verdict submit(const std::string& org, Event event, TimeMs block_time = kNow) {
    return submit(tx(org, std::move(event)), block_time);
  }
  // Submits and fails the test unless the rules accept.
  void accept(const std::string& org, Event event) {
    Verdict v = submit(org, std::move(event));
    ASSERT_TRUE(v.ok()) << org << ": " << v.to_string();
  }

  // Commits the staged block into the base state and starts the next block.
  void commit() {
    base_.apply(block_->changes(), block_->transactions());
    ++height_;
    block_ = std::make_unique<StateOverlay>(base_);
  }

  // Farms, certificates and lots that most cases start from (see docs in rule_codes_test.cpp).
  void build_standard_world() {
    accept("coop-1", register_farm("F-001", {plot("P-1", 20'000, Crop::kCoffee, point()),
                                             plot("P-2", 60'000, Crop::kCoffee, point()),
                                             plot("P-3", 12'000, Crop::kCocoa, square()),
                                             plot("P-4", 10'000, Crop::kCoffee, Geometry{}),
                                             plot("P-5", 60'000, Crop::kCoffee,
                                                  square(-765200000, -64800000, 22'000))}));
    accept("coop-2", register_farm("F-002", {plot("P-1", 20'000, Crop::kCoffee, point())}));
    accept("cert-1", issue("C-COOP", Scheme::kEuOrganic, "coop-1"));
    accept("cert-1", issue("C-COCOA", Scheme::kEuOrganic, "coop-1", {Crop::kCocoa}));
    accept("cert-1", issue("C-MILL", Scheme::kEuOrganic, "mill-1"));
    accept("cert-1", issue("C-EXP", Scheme::kEuOrganic, "exp-1"));
    accept("cert-1", issue("C-FT", Scheme::kFairtrade, "coop-1"));
    accept("cert-1", issue("C-OLD", Scheme::kEuOrganic, "coop-1", {Crop::kCoffee},
                           at("2025-01-01T00:00:00Z"), at("2026-10-01T00:00:00Z")));
    accept("cert-1", issue("C-NEXT", Scheme::kEuOrganic, "coop-1", {Crop::kCoffee},
                           at("2026-11-01T00:00:00Z"), at("2027-11-01T00:00:00Z")));
    // F-001 is an approved member of coop-1's group certificates since September.
    for (const char* cert : {"C-COOP", "C-COCOA", "C-FT", "C-OLD", "C-NEXT"}) {
      accept("coop-1", set_member(cert, "F-001", MemberStatus::kProposed));
      accept("cert-1", set_member(cert, "F-001", MemberStatus::kApproved));
    }
    accept("coop-1",
           harvest("H-1", "F-001", "P-1", 1'200'000, at("2026-10-20T14:00:00Z"), {"C-COOP"}));
    accept("coop-1", harvest("H-2", "F-001", "P-1", 100'000, at("2026-10-20T15:00:00Z")));
    accept("coop-1",
           harvest("H-4", "F-001", "P-4", 50'000, at("2026-10-21T08:00:00Z"), {"C-COOP"}));
    accept("coop-1", harvest("H-5", "F-001", "P-2", 50'000, at("2026-10-21T08:00:00Z")));
    accept("coop-1", harvest("H-6", "F-001", "P-5", 50'000, at("2026-10-21T08:00:00Z")));
    commit();
  }

  LotRecord lot(const std::string& id) const { return *get_lot(*block_, id); }

  const Genesis& genesis() const { return genesis_; }
  const Rules& rules() const { return *rules_; }
  StateOverlay& block() { return *block_; }
  const MemoryState& base() const { return base_; }

 private:
  Genesis genesis_;
  std::unique_ptr<Rules> rules_;
  MemoryState base_;
  std::unique_ptr<StateOverlay> block_;
  uint64_t height_ = 1;
  uint64_t seq_ = 0;
};

}  // namespace coopchain::testing
