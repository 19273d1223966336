// Canonical encoding of the state records (see records.h). Each record starts with a tag byte
// naming its kind and format version, so a value read under the wrong key fails to decode.
#include "coopchain/state/records.h"

#include <algorithm>
#include <type_traits>
#include <utility>
#include <variant>

#include "coopchain/core/codec.h"

namespace coopchain {
namespace {

enum Tag : uint8_t {
  kTagOrg = 0x01,
  kTagKey = 0x02,
  kTagFarm = 0x03,
  kTagFarmLots = 0x04,
  kTagYieldTally = 0x05,
  kTagCertificate = 0x06,
  kTagHolderCertificates = 0x07,
  kTagLot = 0x08,
  kTagExport = 0x09,
  kTagFarmLot = 0x0A,
  kTagLotEvent = 0x0B,
  kTagPlotCell = 0x0C,
  kTagPlotHistory = 0x0D,
  kTagPlotRevision = 0x0E,
  kTagPlotAssessments = 0x0F,
  kTagPlotAssessment = 0x10,
  kTagCertificateMember = 0x11,
  kTagCertificateMembers = 0x12,
  kTagProposal = 0x13,
  kTagGovernance = 0x14,
  kTagParams = 0x15,
  kTagNodes = 0x16,
};

// Smallest encodings, used to refuse list counts that cannot fit in the remaining input.
constexpr size_t kMinString = 4;

// Reads an enum stored as one byte; fails the reader when the value is beyond `max`.
template <typename E>
E read_enum(Reader& r, E max, bool& bad) {
  uint8_t v = r.u8();
  if (v > static_cast<uint8_t>(max)) bad = true;
  return static_cast<E>(v);
}

template <typename E>
void write_enum(Writer& w, E v) {
  w.u8(static_cast<uint8_t>(v));
}

void write_strings(Writer& w, const std::vector<std::string>& v) {
  w.count(v.size());
  for (const auto& s : v) w.bytes(s);
}

std::vector<std::string> read_strings(Reader& r) {
  std::vector<std::string> out(r.count(kMinString));
  for (auto& s : out) s = r.bytes();
  return out;
}

void write_geometry(Writer& w, const Geometry& g) {
  write_enum(w, g.type);
  w.count(g.rings.size());
  for (const auto& ring : g.rings) {
    w.count(ring.size());
    for (const auto& p : ring) w.i64(p.lon_e7).i64(p.lat_e7);
  }
}

void write_quality(Writer& w, const Quality& q) {
  w.bytes(q.grade).u32(q.cup_score_tenths).u32(q.moisture_per_mille);
  w.u32(q.defects_primary).u32(q.defects_secondary).u32(q.screen_size);
  w.u32(q.cut_test.well_fermented_per_mille).u32(q.cut_test.slaty_per_mille);
  w.u32(q.cut_test.mouldy_per_mille).u32(q.cut_test.insect_damaged_per_mille);
}

Quality read_quality(Reader& r) {
  Quality q;
  q.grade = r.bytes();
  q.cup_score_tenths = r.u32();
  q.moisture_per_mille = r.u32();
  q.defects_primary = r.u32();
  q.defects_secondary = r.u32();
  q.screen_size = r.u32();
  q.cut_test.well_fermented_per_mille = r.u32();
  q.cut_test.slaty_per_mille = r.u32();
  q.cut_test.mouldy_per_mille = r.u32();
  q.cut_test.insect_damaged_per_mille = r.u32();
  return q;
}

// A history entry: the fields every kind has, then the kind's own (records.h).
void write_lot_event(Writer& w, const LotEventRecord& h) {
  write_enum(w, h.kind);
  w.hash(h.tx_id).i64(h.at).bytes(h.actor);
  write_strings(w, h.certificates_checked);
  w.i64(h.mass_delta_g);
  switch (h.kind) {
    case LotEventKind::kInput:
      write_enum(w, h.step);
      w.bytes(h.lot_id);
      write_strings(w, h.by_products);
      break;
    case LotEventKind::kTransfer:
      w.bytes(h.organization);
      w.count(h.dropped_claims.size());
      for (const auto& d : h.dropped_claims) {
        write_enum(w, d.scheme);
        w.u32(static_cast<uint32_t>(d.reason));
      }
      break;
    case LotEventKind::kCertifyLot:
      w.bytes(h.findings);
      write_enum(w, h.outcome);
      w.count(h.nonconformities.size());
      for (const auto& f : h.nonconformities) w.bytes(f.code).bytes(f.text);
      write_enum(w, h.scheme);
      w.boolean(h.claim_removed);
      break;
    case LotEventKind::kHold:
    case LotEventKind::kRelease:
      w.bytes(h.findings);
      write_enum(w, h.scheme);
      break;
    case LotEventKind::kReceive:
      w.bytes(h.findings).u64(h.received_g);
      write_quality(w, h.quality);
      break;
    case LotEventKind::kExport:
      w.bytes(h.export_id);
      break;
    default:
      break;
  }
}

LotEventRecord read_lot_event(Reader& r, bool& bad) {
  LotEventRecord h;
  h.kind = read_enum(r, LotEventKind::kReceive, bad);
  h.tx_id = r.hash();
  h.at = r.i64();
  h.actor = r.bytes();
  h.certificates_checked = read_strings(r);
  h.mass_delta_g = r.i64();
  switch (h.kind) {
    case LotEventKind::kInput:
      h.step = read_enum(r, ProcessingStep::kBlend, bad);
      h.lot_id = r.bytes();
      h.by_products = read_strings(r);
      break;
    case LotEventKind::kTransfer:
      h.organization = r.bytes();
      h.dropped_claims.resize(r.count(1 + 4));
      for (auto& d : h.dropped_claims) {
        d.scheme = read_enum(r, Scheme::kFourC, bad);
        const uint32_t code = r.u32();
        if (code == 0 || code > static_cast<uint32_t>(kLastRuleCode)) bad = true;
        d.reason = static_cast<RuleCode>(code);
      }
      break;
    case LotEventKind::kCertifyLot:
      h.findings = r.bytes();
      h.outcome = read_enum(r, InspectionOutcome::kFail, bad);
      if (h.outcome != InspectionOutcome::kPass && h.outcome != InspectionOutcome::kFail)
        bad = true;
      h.nonconformities.resize(r.count(2 * kMinString));
      for (auto& f : h.nonconformities) {
        f.code = r.bytes();
        f.text = r.bytes();
      }
      h.scheme = read_enum(r, Scheme::kFourC, bad);
      h.claim_removed = r.boolean();
      break;
    case LotEventKind::kHold:
    case LotEventKind::kRelease:
      h.findings = r.bytes();
      h.scheme = read_enum(r, Scheme::kFourC, bad);
      break;
    case LotEventKind::kReceive:
      h.findings = r.bytes();
      h.received_g = r.u64();
      h.quality = read_quality(r);
      break;
    case LotEventKind::kExport:
      h.export_id = r.bytes();
      break;
    case LotEventKind::kUnspecified:
      bad = true;
      break;
    default:
      break;
  }
  return h;
}

Geometry read_geometry(Reader& r, bool& bad) {
  Geometry g;
  // A stored geometry passed the rules: never kInvalid, so no reason text is stored.
  g.type = read_enum(r, Geometry::Type::kMultiPolygon, bad);
  if (g.type == Geometry::Type::kInvalid) bad = true;
  g.rings.resize(r.count(4));
  for (auto& ring : g.rings) {
    ring.resize(r.count(16));
    for (auto& p : ring) {
      p.lon_e7 = r.i64();
      p.lat_e7 = r.i64();
    }
  }
  return g;
}

void write_plot(Writer& w, const Plot& p) {
  w.bytes(p.plot_id).u64(p.area_m2);
  write_enum(w, p.crop);
  write_geometry(w, p.geometry);
  w.bytes(p.species);
}

Plot read_plot(Reader& r, bool& bad) {
  Plot p;
  p.plot_id = r.bytes();
  p.area_m2 = r.u64();
  p.crop = read_enum(r, Crop::kCocoa, bad);
  p.geometry = read_geometry(r, bad);
  p.species = r.bytes();
  return p;
}

void write_lot_amounts(Writer& w, const std::vector<LotAmount>& v) {
  w.count(v.size());
  for (const auto& a : v) w.bytes(a.lot_id).u64(a.mass_g);
}

std::vector<LotAmount> read_lot_amounts(Reader& r) {
  std::vector<LotAmount> out(r.count(kMinString + 8));
  for (auto& a : out) {
    a.lot_id = r.bytes();
    a.mass_g = r.u64();
  }
  return out;
}

void write_schemes(Writer& w, const std::vector<Scheme>& v) {
  w.count(v.size());
  for (Scheme s : v) write_enum(w, s);
}

std::vector<Scheme> read_schemes(Reader& r, bool& bad) {
  std::vector<Scheme> out(r.count(1));
  for (auto& s : out) s = read_enum(r, Scheme::kFourC, bad);
  return out;
}

// Checks the tag, runs `body`, and accepts only a complete, exact read.
template <typename T, typename Body>
std::optional<T> decode_with(std::string_view bytes, Tag tag, Body body) {
  Reader r(bytes);
  if (r.u8() != tag) return std::nullopt;
  bool bad = false;
  T out = body(r, bad);
  if (bad || !r.at_end_ok()) return std::nullopt;
  return out;
}

}  // namespace

std::string_view name_of(LotEventKind kind) {
  switch (kind) {
    case LotEventKind::kHarvest:
      return "harvest";
    case LotEventKind::kProcessing:
      return "processing";
    case LotEventKind::kInput:
      return "input";
    case LotEventKind::kTransfer:
      return "transfer";
    case LotEventKind::kCertifyLot:
      return "certifyLot";
    case LotEventKind::kExport:
      return "export";
    case LotEventKind::kHold:
      return "holdLot";
    case LotEventKind::kRelease:
      return "releaseLot";
    case LotEventKind::kReceive:
      return "receiveLot";
    case LotEventKind::kUnspecified:
      break;
  }
  return "UNSPECIFIED";
}

bool operator==(const Plot& a, const Plot& b) {
  return a.plot_id == b.plot_id && a.area_m2 == b.area_m2 && a.crop == b.crop &&
         a.geometry == b.geometry && a.species == b.species;
}
bool operator==(const LotAmount& a, const LotAmount& b) {
  return a.lot_id == b.lot_id && a.mass_g == b.mass_g;
}
bool GovernanceRecord::governs(std::string_view org_id) const {
  return std::binary_search(governors.begin(), governors.end(), org_id);
}

size_t GovernanceRecord::approvals_counted(const std::vector<std::string>& approvals) const {
  return static_cast<size_t>(std::count_if(approvals.begin(), approvals.end(),
                                           [&](const std::string& org) { return governs(org); }));
}

std::string_view name_of(ProposalStatus v) {
  switch (v) {
    case ProposalStatus::kPending:
      return "PENDING";
    case ProposalStatus::kPassed:
      return "PASSED";
    case ProposalStatus::kWithdrawn:
      return "WITHDRAWN";
  }
  return "UNSPECIFIED";
}

std::string_view name_of(NodeRole v) {
  switch (v) {
    case NodeRole::kUnspecified:
      break;
    case NodeRole::kValidator:
      return "VALIDATOR";
    case NodeRole::kLearner:
      return "LEARNER";
    case NodeRole::kObserver:
      return "OBSERVER";
  }
  return "UNSPECIFIED";
}

const NodeRecord* NodeSetRecord::find(std::string_view node_id) const {
  for (const auto& n : nodes) {
    if (n.node_id == node_id) return &n;
  }
  return nullptr;
}

NodeRecord* NodeSetRecord::find(std::string_view node_id) {
  return const_cast<NodeRecord*>(std::as_const(*this).find(node_id));
}

std::vector<Validator> NodeSetRecord::validators_for(uint64_t height) const {
  std::vector<Validator> out;
  for (const auto& n : height > changed_height ? nodes : previous_validators) {
    if (n.role == NodeRole::kValidator) out.push_back({n.node_id, n.vote_key, n.tls_pin});
  }
  return out;
}

bool OrgRecord::accredited_for(Scheme scheme) const {
  return accredited && (accredited_schemes.empty() ||
                        std::find(accredited_schemes.begin(), accredited_schemes.end(), scheme) !=
                            accredited_schemes.end());
}

const Plot* FarmRecord::find_plot(std::string_view plot_id) const {
  for (const auto& p : plots) {
    if (p.plot_id == plot_id) return &p;
  }
  return nullptr;
}

bool CertificateRecord::covers(Crop crop) const {
  return std::find(crops.begin(), crops.end(), crop) != crops.end();
}

YieldEstimate& CertificateMemberRecord::estimate(int64_t season, Form form) {
  auto at = std::find_if(estimates.begin(), estimates.end(), [&](const YieldEstimate& e) {
    return e.season > season || (e.season == season && e.form >= form);
  });
  if (at == estimates.end() || at->season != season || at->form != form) {
    at = estimates.insert(at, YieldEstimate{season, form});
  }
  return *at;
}

const YieldEstimate* CertificateMemberRecord::find_estimate(int64_t season, Form form) const {
  for (const auto& e : estimates) {
    if (e.season == season && e.form == form) return &e;
  }
  return nullptr;
}

MemberStatus CertificateMemberRecord::status_at(TimeMs t) const {
  const MemberChange* in_force = nullptr;
  for (const auto& c : changes) {
    if (c.effective_at <= t && (in_force == nullptr || c.effective_at >= in_force->effective_at)) {
      in_force = &c;
    }
  }
  return in_force == nullptr ? MemberStatus::kUnspecified : in_force->status;
}

MemberStatus CertificateMemberRecord::latest_status() const {
  return changes.empty() ? MemberStatus::kUnspecified : changes.back().status;
}

TimeMs CertificateMemberRecord::conversion_start() const {
  for (auto it = changes.rbegin(); it != changes.rend(); ++it) {
    if (it->conversion_start != 0) return it->conversion_start;
  }
  return 0;
}

const LotClaim* LotRecord::find_claim(Scheme scheme) const {
  for (const auto& c : claims) {
    if (c.scheme == scheme) return &c;
  }
  return nullptr;
}

const LotHold* LotRecord::find_hold(Scheme scheme) const {
  for (const auto& h : holds) {
    if (h.scheme == scheme) return &h;
  }
  return nullptr;
}

// ---- Keys ------------------------------------------------------------------------------------

std::string org_key(std::string_view id) {
  return "org/" + std::string(id);
}
std::string signing_key_key(std::string_view id) {
  return "key/" + std::string(id);
}
std::string proposal_key(std::string_view id) {
  return "prop/" + std::string(id);
}
std::string governance_key() {
  return "governance/";
}

std::string params_key() {
  return "params/";
}

std::string nodes_key() {
  return "nodes/";
}
std::string farm_key(std::string_view id) {
  return "farm/" + std::string(id);
}
std::string farm_lots_key(std::string_view id) {
  return "farmlots/" + std::string(id);
}
std::string farm_lot_key(std::string_view id, uint64_t index) {
  return "farmlot/" + std::string(id) + " " + std::to_string(index);
}
std::string yield_tally_key(std::string_view farm_id, std::string_view plot_id, int64_t year) {
  return "tally/" + std::string(farm_id) + " " + std::string(plot_id) + " " + std::to_string(year);
}
std::string certificate_key(std::string_view id) {
  return "cert/" + std::string(id);
}
std::string certificate_member_key(std::string_view certificate_id, std::string_view farm_id) {
  return "member/" + std::string(certificate_id) + " " + std::string(farm_id);
}

std::string certificate_members_key(std::string_view certificate_id) {
  return "members/" + std::string(certificate_id);
}

std::string holder_certificates_key(std::string_view id) {
  return "holder/" + std::string(id);
}
std::string lot_key(std::string_view id) {
  return "lot/" + std::string(id);
}
std::string lot_history_key(std::string_view id, uint64_t index) {
  return "lothist/" + std::string(id) + " " + std::to_string(index);
}
std::string export_key(std::string_view id) {
  return "export/" + std::string(id);
}

std::string plot_history_key(std::string_view farm_id, std::string_view plot_id) {
  return "plothist/" + std::string(farm_id) + " " + std::string(plot_id);
}

std::string plot_revision_key(std::string_view farm_id, std::string_view plot_id, uint64_t index) {
  return "plotrev/" + std::string(farm_id) + " " + std::string(plot_id) + " " +
         std::to_string(index);
}

std::string plot_assessments_key(std::string_view farm_id, std::string_view plot_id) {
  return "assessments/" + std::string(farm_id) + " " + std::string(plot_id);
}

std::string plot_assessment_key(std::string_view farm_id, std::string_view plot_id,
                                uint64_t index) {
  return "assessment/" + std::string(farm_id) + " " + std::string(plot_id) + " " +
         std::to_string(index);
}

std::string plot_cell_key(uint8_t depth, uint32_t x, uint32_t y) {
  return "plotcell/" + std::to_string(depth) + " " + std::to_string(x) + " " + std::to_string(y);
}

namespace {

// The fields a SetParameters sets: a u32 with bit i for field i (in declaration order), then
// those fields in order.
void write_set_parameters(Writer& w, const SetParameters& c) {
  uint32_t present = 0;
  int bit = 0;
  auto mark = [&](const auto& field) {
    if (field) present |= uint32_t{1} << bit;
    ++bit;
  };
  mark(c.coffee_yield_cap_g_per_ha);
  mark(c.cocoa_yield_cap_g_per_ha);
  mark(c.conversion_caps);
  mark(c.future_skew_ms);
  mark(c.lateness_ms);
  mark(c.eu_countries);
  mark(c.eudr_polygon_min_area_m2);
  mark(c.max_block_txs);
  mark(c.max_block_bytes);
  mark(c.default_country);
  mark(c.eudr_require_assessment);
  mark(c.conversion_periods);
  mark(c.reception_tolerance_bp);
  mark(c.governance_threshold_per_mille);
  w.u32(present);
  if (c.coffee_yield_cap_g_per_ha) w.u64(*c.coffee_yield_cap_g_per_ha);
  if (c.cocoa_yield_cap_g_per_ha) w.u64(*c.cocoa_yield_cap_g_per_ha);
  if (c.conversion_caps) {
    w.count(c.conversion_caps->size());
    for (const auto& cap : *c.conversion_caps) {
      write_enum(w, cap.from);
      write_enum(w, cap.to);
      w.u32(cap.per_mille);
    }
  }
  if (c.future_skew_ms) w.i64(*c.future_skew_ms);
  if (c.lateness_ms) w.i64(*c.lateness_ms);
  if (c.eu_countries) write_strings(w, *c.eu_countries);
  if (c.eudr_polygon_min_area_m2) w.u64(*c.eudr_polygon_min_area_m2);
  if (c.max_block_txs) w.u32(*c.max_block_txs);
  if (c.max_block_bytes) w.u64(*c.max_block_bytes);
  if (c.default_country) w.bytes(*c.default_country);
  if (c.eudr_require_assessment) w.boolean(*c.eudr_require_assessment);
  if (c.conversion_periods) {
    w.count(c.conversion_periods->size());
    for (const auto& period : *c.conversion_periods) {
      write_enum(w, period.scheme);
      w.u32(period.months);
    }
  }
  if (c.reception_tolerance_bp) w.u32(*c.reception_tolerance_bp);
  if (c.governance_threshold_per_mille) w.u32(*c.governance_threshold_per_mille);
}

SetParameters read_set_parameters(Reader& r, bool& bad) {
  SetParameters c;
  const uint32_t present = r.u32();
  if (present >> 14 != 0) bad = true;
  int bit = 0;
  auto has = [&] { return (present >> bit++) & 1; };
  if (has()) c.coffee_yield_cap_g_per_ha = r.u64();
  if (has()) c.cocoa_yield_cap_g_per_ha = r.u64();
  if (has()) {
    auto& caps = c.conversion_caps.emplace(r.count(6));
    for (auto& cap : caps) {
      cap.from = read_enum(r, Form::kCocoaPulp, bad);
      cap.to = read_enum(r, Form::kCocoaPulp, bad);
      cap.per_mille = r.u32();
    }
  }
  if (has()) c.future_skew_ms = r.i64();
  if (has()) c.lateness_ms = r.i64();
  if (has()) c.eu_countries = read_strings(r);
  if (has()) c.eudr_polygon_min_area_m2 = r.u64();
  if (has()) c.max_block_txs = r.u32();
  if (has()) c.max_block_bytes = r.u64();
  if (has()) c.default_country = r.bytes();
  if (has()) c.eudr_require_assessment = r.boolean();
  if (has()) {
    auto& periods = c.conversion_periods.emplace(r.count(5));
    for (auto& period : periods) {
      period.scheme = read_enum(r, Scheme::kFourC, bad);
      period.months = r.u32();
    }
  }
  if (has()) c.reception_tolerance_bp = r.u32();
  if (has()) c.governance_threshold_per_mille = r.u32();
  return c;
}

// A governance change: a one-byte kind (its index in GovernanceChange), then its fields.
void write_change(Writer& w, const GovernanceChange& change) {
  w.u8(static_cast<uint8_t>(change.index()));
  std::visit(
      [&](const auto& c) {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, AddOrganization>) {
          w.bytes(c.org_id).bytes(c.name);
          write_enum(w, c.kind);
          write_strings(w, c.public_keys);
        } else if constexpr (std::is_same_v<C, SetOrganizationStatus>) {
          w.bytes(c.org_id);
          write_enum(w, c.status);
        } else if constexpr (std::is_same_v<C, SetAccreditation>) {
          w.bytes(c.org_id);
          write_enum(w, c.scheme);
          w.boolean(c.accredited);
        } else if constexpr (std::is_same_v<C, AddOrganizationKey>) {
          w.bytes(c.org_id).bytes(c.public_key);
        } else if constexpr (std::is_same_v<C, RevokeOrganizationKey>) {
          w.bytes(c.org_id).bytes(c.key_id);
        } else if constexpr (std::is_same_v<C, SetParameters>) {
          write_set_parameters(w, c);
        } else if constexpr (std::is_same_v<C, AddNode>) {
          w.bytes(c.node_id).bytes(c.org_id);
          write_enum(w, c.role);
          w.bytes(c.vote_key).bytes(c.tls_pin).bytes(c.peer_address);
        } else if constexpr (std::is_same_v<C, PromoteNode> || std::is_same_v<C, RemoveNode>) {
          w.bytes(c.node_id);
        } else {
          static_assert(std::is_same_v<C, RotateNode>);
          w.bytes(c.node_id).bytes(c.vote_key).bytes(c.tls_pin).bytes(c.peer_address);
        }
      },
      change);
}

GovernanceChange read_change(Reader& r, bool& bad) {
  switch (r.u8()) {
    case 0: {
      AddOrganization c;
      c.org_id = r.bytes();
      c.name = r.bytes();
      c.kind = read_enum(r, OrgKind::kAuditor, bad);
      c.public_keys = read_strings(r);
      return c;
    }
    case 1: {
      SetOrganizationStatus c;
      c.org_id = r.bytes();
      c.status = read_enum(r, OrgStatus::kRemoved, bad);
      return c;
    }
    case 2: {
      SetAccreditation c;
      c.org_id = r.bytes();
      c.scheme = read_enum(r, Scheme::kFourC, bad);
      c.accredited = r.boolean();
      return c;
    }
    case 3: {
      AddOrganizationKey c;
      c.org_id = r.bytes();
      c.public_key = r.bytes();
      return c;
    }
    case 4: {
      RevokeOrganizationKey c;
      c.org_id = r.bytes();
      c.key_id = r.bytes();
      return c;
    }
    case 5:
      return read_set_parameters(r, bad);
    case 6: {
      AddNode c;
      c.node_id = r.bytes();
      c.org_id = r.bytes();
      c.role = read_enum(r, NodeRole::kObserver, bad);
      c.vote_key = r.bytes();
      c.tls_pin = r.bytes();
      c.peer_address = r.bytes();
      return c;
    }
    case 7:
      return PromoteNode{r.bytes()};
    case 8:
      return RemoveNode{r.bytes()};
    case 9: {
      RotateNode c;
      c.node_id = r.bytes();
      c.vote_key = r.bytes();
      c.tls_pin = r.bytes();
      c.peer_address = r.bytes();
      return c;
    }
    default:
      bad = true;
      return AddOrganization{};
  }
}

}  // namespace

// ---- Encoders --------------------------------------------------------------------------------

std::string encode(const OrgRecord& r) {
  Writer w;
  w.u8(kTagOrg).bytes(r.id).bytes(r.name);
  write_enum(w, r.kind);
  w.boolean(r.accredited);
  write_schemes(w, r.accredited_schemes);
  write_enum(w, r.status);
  write_strings(w, r.key_ids);
  return std::move(w).data();
}

std::string encode(const KeyRecord& r) {
  Writer w;
  w.u8(kTagKey).bytes(r.key_id).bytes(r.org_id).u64(r.revoked_height);
  return std::move(w).data();
}

std::string encode(const ProposalRecord& r) {
  Writer w;
  w.u8(kTagProposal).bytes(r.proposal_id).bytes(r.proposer);
  w.count(r.changes.size());
  for (const auto& c : r.changes) write_change(w, c);
  w.i64(r.expires_at).bytes(r.reason).u64(r.proposed_height);
  write_strings(w, r.approvals);
  write_enum(w, r.status);
  w.u64(r.closed_height);
  return std::move(w).data();
}

std::string encode(const GovernanceRecord& r) {
  Writer w;
  w.u8(kTagGovernance);
  write_strings(w, r.governors);
  write_strings(w, r.org_ids);
  write_strings(w, r.proposal_ids);
  return std::move(w).data();
}

std::string encode(const RuleParams& r) {
  Writer w;
  w.u8(kTagParams);
  encode_rule_params(w, r);
  return std::move(w).data();
}

namespace {

void write_nodes(Writer& w, const std::vector<NodeRecord>& nodes) {
  w.count(nodes.size());
  for (const auto& n : nodes) {
    w.bytes(n.node_id).bytes(n.vote_key);
    write_enum(w, n.role);
    w.bytes(n.tls_pin).bytes(n.org_id).bytes(n.peer_address);
  }
}

std::vector<NodeRecord> read_nodes(Reader& r, bool& bad) {
  std::vector<NodeRecord> out(r.count(5 * kMinString + 1));
  for (auto& n : out) {
    n.node_id = r.bytes();
    n.vote_key = r.bytes();
    n.role = read_enum(r, NodeRole::kObserver, bad);
    if (n.role == NodeRole::kUnspecified) bad = true;
    n.tls_pin = r.bytes();
    n.org_id = r.bytes();
    n.peer_address = r.bytes();
  }
  return out;
}

}  // namespace

std::string encode(const NodeSetRecord& r) {
  Writer w;
  w.u8(kTagNodes);
  write_nodes(w, r.nodes);
  write_nodes(w, r.previous_validators);
  w.u64(r.changed_height);
  return std::move(w).data();
}

std::string encode(const FarmRecord& r) {
  Writer w;
  w.u8(kTagFarm).bytes(r.farm_id).bytes(r.cooperative).bytes(r.farmer_ref).i64(r.registered_at);
  w.bytes(r.country);
  w.count(r.plots.size());
  for (const auto& p : r.plots) write_plot(w, p);
  w.u64(r.registered_height).hash(r.registered_tx);
  return std::move(w).data();
}

std::string encode(const PlotHistoryRecord& r) {
  Writer w;
  w.u8(kTagPlotHistory).bytes(r.farm_id).bytes(r.plot_id).u64(r.since_height).u64(r.earlier);
  return std::move(w).data();
}

std::string encode(const PlotAssessmentsRecord& r) {
  Writer w;
  w.u8(kTagPlotAssessments).bytes(r.farm_id).bytes(r.plot_id).u64(r.count);
  return std::move(w).data();
}

std::string encode(const PlotAssessmentRecord& r) {
  Writer w;
  w.u8(kTagPlotAssessment).bytes(r.farm_id).bytes(r.plot_id).u64(r.index);
  write_enum(w, r.result);
  w.bytes(r.method).bytes(r.reference).i64(r.assessed_at).bytes(r.assessor);
  w.u64(r.geometry_revision).u64(r.height).hash(r.tx_id);
  return std::move(w).data();
}

std::string encode(const PlotRevisionRecord& r) {
  Writer w;
  w.u8(kTagPlotRevision).bytes(r.farm_id).bytes(r.plot_id).u64(r.index).u64(r.area_m2);
  write_geometry(w, r.geometry);
  w.u64(r.from_height).u64(r.until_height).hash(r.replaced_by);
  return std::move(w).data();
}

std::string encode(const FarmLotsRecord& r) {
  Writer w;
  w.u8(kTagFarmLots).bytes(r.farm_id).u64(r.count);
  return std::move(w).data();
}

std::string encode(const PlotCellRecord& r) {
  Writer w;
  w.u8(kTagPlotCell).u8(r.depth).u32(r.x).u32(r.y).u8(r.children);
  w.count(r.plots.size());
  for (const PlotRef& p : r.plots) {
    w.bytes(p.farm_id).bytes(p.plot_id);
    w.i64(p.box.min_lon_e7).i64(p.box.min_lat_e7).i64(p.box.max_lon_e7).i64(p.box.max_lat_e7);
  }
  return std::move(w).data();
}

std::string encode(const FarmLotRecord& r) {
  Writer w;
  w.u8(kTagFarmLot).bytes(r.farm_id).u64(r.index).bytes(r.lot_id);
  return std::move(w).data();
}

std::string encode(const YieldTallyRecord& r) {
  Writer w;
  w.u8(kTagYieldTally).bytes(r.farm_id).bytes(r.plot_id).i64(r.year).u64(r.mass_g);
  return std::move(w).data();
}

std::string encode(const CertificateRecord& r) {
  Writer w;
  w.u8(kTagCertificate).bytes(r.certificate_id);
  write_enum(w, r.scheme);
  w.bytes(r.issuer).bytes(r.holder);
  w.count(r.crops.size());
  for (Crop c : r.crops) write_enum(w, c);
  w.i64(r.valid_from).i64(r.valid_until).i64(r.issued_at);
  w.count(r.changes.size());
  for (const auto& c : r.changes) {
    write_enum(w, c.status);
    w.i64(c.effective_at).bytes(c.reason);
  }
  w.i64(r.conversion_start);
  return std::move(w).data();
}

std::string encode(const CertificateMemberRecord& r) {
  Writer w;
  w.u8(kTagCertificateMember).bytes(r.certificate_id).bytes(r.farm_id);
  w.count(r.changes.size());
  for (const auto& c : r.changes) {
    write_enum(w, c.status);
    w.i64(c.effective_at).i64(c.conversion_start).bytes(c.by).bytes(c.reason);
  }
  w.count(r.estimates.size());
  for (const auto& e : r.estimates) {
    w.i64(e.season);
    write_enum(w, e.form);
    w.u64(e.proposed_g).u64(e.approved_g).u64(e.harvested_g);
  }
  return std::move(w).data();
}

std::string encode(const CertificateMembersRecord& r) {
  Writer w;
  w.u8(kTagCertificateMembers).bytes(r.certificate_id);
  write_strings(w, r.farm_ids);
  return std::move(w).data();
}

std::string encode(const HolderCertificatesRecord& r) {
  Writer w;
  w.u8(kTagHolderCertificates).bytes(r.holder);
  write_strings(w, r.certificate_ids);
  return std::move(w).data();
}

std::string encode(const LotRecord& r) {
  Writer w;
  w.u8(kTagLot).bytes(r.lot_id);
  write_enum(w, r.crop);
  write_enum(w, r.form);
  w.u64(r.mass_g).u64(r.produced_g).bytes(r.owner);
  w.count(r.origins.size());
  for (const auto& o : r.origins) w.bytes(o.farm_id).bytes(o.plot_id);
  w.count(r.claims.size());
  for (const auto& c : r.claims) {
    write_enum(w, c.scheme);
    write_strings(w, c.certificate_ids);
  }
  write_lot_amounts(w, r.inputs);
  write_enum(w, r.created_by_step);
  w.i64(r.created_at).i64(r.last_event_at).bytes(r.facility);
  write_quality(w, r.quality);
  w.count(r.holds.size());
  for (const auto& h : r.holds) {
    write_enum(w, h.scheme);
    w.bytes(h.certificate_id).bytes(h.by).i64(h.held_at);
  }
  w.u64(r.in_transit_g);
  w.count(r.history.size());
  for (const auto& h : r.history) write_lot_event(w, h);
  // Written only when entries were moved out, so that a lot that never had more than
  // kLotHistoryInline entries encodes as it always has.
  if (r.earlier_events > 0) w.u64(r.earlier_events);
  return std::move(w).data();
}

std::string encode(const LotEventRecord& r) {
  Writer w;
  w.u8(kTagLotEvent);
  write_lot_event(w, r);
  return std::move(w).data();
}

std::string encode(const ExportRecord& r) {
  Writer w;
  w.u8(kTagExport).bytes(r.export_id).bytes(r.exporter);
  write_lot_amounts(w, r.lots);
  w.bytes(r.destination_country).bytes(r.destination_port).bytes(r.buyer).bytes(r.hs_code);
  w.i64(r.shipped_at);
  write_schemes(w, r.claims);
  w.hash(r.tx_id);
  return std::move(w).data();
}

// ---- Decoders --------------------------------------------------------------------------------

std::optional<OrgRecord> decode_org(std::string_view bytes) {
  return decode_with<OrgRecord>(bytes, kTagOrg, [](Reader& r, bool& bad) {
    OrgRecord o;
    o.id = r.bytes();
    o.name = r.bytes();
    o.kind = read_enum(r, OrgKind::kAuditor, bad);
    o.accredited = r.boolean();
    o.accredited_schemes = read_schemes(r, bad);
    o.status = read_enum(r, OrgStatus::kRemoved, bad);
    if (o.status == OrgStatus::kUnspecified) bad = true;
    o.key_ids = read_strings(r);
    return o;
  });
}

std::optional<KeyRecord> decode_key(std::string_view bytes) {
  return decode_with<KeyRecord>(bytes, kTagKey, [](Reader& r, bool&) {
    KeyRecord k;
    k.key_id = r.bytes();
    k.org_id = r.bytes();
    k.revoked_height = r.u64();
    return k;
  });
}

std::optional<ProposalRecord> decode_proposal(std::string_view bytes) {
  return decode_with<ProposalRecord>(bytes, kTagProposal, [](Reader& r, bool& bad) {
    ProposalRecord p;
    p.proposal_id = r.bytes();
    p.proposer = r.bytes();
    p.changes.resize(r.count(2));
    for (auto& c : p.changes) c = read_change(r, bad);
    p.expires_at = r.i64();
    p.reason = r.bytes();
    p.proposed_height = r.u64();
    p.approvals = read_strings(r);
    p.status = read_enum(r, ProposalStatus::kWithdrawn, bad);
    if (static_cast<uint8_t>(p.status) == 0) bad = true;
    p.closed_height = r.u64();
    return p;
  });
}

std::optional<GovernanceRecord> decode_governance(std::string_view bytes) {
  return decode_with<GovernanceRecord>(bytes, kTagGovernance, [](Reader& r, bool&) {
    GovernanceRecord g;
    g.governors = read_strings(r);
    g.org_ids = read_strings(r);
    g.proposal_ids = read_strings(r);
    return g;
  });
}

std::optional<RuleParams> decode_params(std::string_view bytes) {
  return decode_with<RuleParams>(bytes, kTagParams, [](Reader& r, bool& bad) {
    std::optional<RuleParams> p = decode_rule_params(r);
    if (!p) bad = true;
    return p.value_or(RuleParams{});
  });
}

std::optional<NodeSetRecord> decode_nodes(std::string_view bytes) {
  return decode_with<NodeSetRecord>(bytes, kTagNodes, [](Reader& r, bool& bad) {
    NodeSetRecord n;
    n.nodes = read_nodes(r, bad);
    n.previous_validators = read_nodes(r, bad);
    n.changed_height = r.u64();
    return n;
  });
}

std::optional<FarmRecord> decode_farm(std::string_view bytes) {
  return decode_with<FarmRecord>(bytes, kTagFarm, [](Reader& r, bool& bad) {
    FarmRecord f;
    f.farm_id = r.bytes();
    f.cooperative = r.bytes();
    f.farmer_ref = r.bytes();
    f.registered_at = r.i64();
    f.country = r.bytes();
    f.plots.resize(r.count(kMinString));
    for (auto& p : f.plots) p = read_plot(r, bad);
    f.registered_height = r.u64();
    f.registered_tx = r.hash();
    return f;
  });
}

std::optional<PlotHistoryRecord> decode_plot_history(std::string_view bytes) {
  return decode_with<PlotHistoryRecord>(bytes, kTagPlotHistory, [](Reader& r, bool&) {
    PlotHistoryRecord h;
    h.farm_id = r.bytes();
    h.plot_id = r.bytes();
    h.since_height = r.u64();
    h.earlier = r.u64();
    return h;
  });
}

std::optional<PlotAssessmentsRecord> decode_plot_assessments(std::string_view bytes) {
  return decode_with<PlotAssessmentsRecord>(bytes, kTagPlotAssessments, [](Reader& r, bool&) {
    PlotAssessmentsRecord a;
    a.farm_id = r.bytes();
    a.plot_id = r.bytes();
    a.count = r.u64();
    return a;
  });
}

std::optional<PlotAssessmentRecord> decode_plot_assessment(std::string_view bytes) {
  return decode_with<PlotAssessmentRecord>(bytes, kTagPlotAssessment, [](Reader& r, bool& bad) {
    PlotAssessmentRecord a;
    a.farm_id = r.bytes();
    a.plot_id = r.bytes();
    a.index = r.u64();
    a.result = read_enum(r, Deforestation::kInsufficientData, bad);
    if (a.result == Deforestation::kUnspecified) bad = true;
    a.method = r.bytes();
    a.reference = r.bytes();
    a.assessed_at = r.i64();
    a.assessor = r.bytes();
    a.geometry_revision = r.u64();
    a.height = r.u64();
    a.tx_id = r.hash();
    return a;
  });
}

std::optional<PlotRevisionRecord> decode_plot_revision(std::string_view bytes) {
  return decode_with<PlotRevisionRecord>(bytes, kTagPlotRevision, [](Reader& r, bool& bad) {
    PlotRevisionRecord v;
    v.farm_id = r.bytes();
    v.plot_id = r.bytes();
    v.index = r.u64();
    v.area_m2 = r.u64();
    v.geometry = read_geometry(r, bad);
    v.from_height = r.u64();
    v.until_height = r.u64();
    v.replaced_by = r.hash();
    return v;
  });
}

std::optional<FarmLotsRecord> decode_farm_lots(std::string_view bytes) {
  return decode_with<FarmLotsRecord>(bytes, kTagFarmLots, [](Reader& r, bool&) {
    FarmLotsRecord f;
    f.farm_id = r.bytes();
    f.count = r.u64();
    return f;
  });
}

std::optional<PlotCellRecord> decode_plot_cell(std::string_view bytes) {
  return decode_with<PlotCellRecord>(bytes, kTagPlotCell, [](Reader& r, bool& bad) {
    PlotCellRecord c;
    c.depth = r.u8();
    c.x = r.u32();
    c.y = r.u32();
    c.children = r.u8();
    if (c.children > 0x0F) bad = true;
    const size_t n = r.count(2 * kMinString + 32);
    c.plots.reserve(n);
    for (size_t i = 0; i < n && !r.failed(); ++i) {
      PlotRef p;
      p.farm_id = r.bytes();
      p.plot_id = r.bytes();
      p.box.min_lon_e7 = r.i64();
      p.box.min_lat_e7 = r.i64();
      p.box.max_lon_e7 = r.i64();
      p.box.max_lat_e7 = r.i64();
      c.plots.push_back(std::move(p));
    }
    return c;
  });
}

std::optional<FarmLotRecord> decode_farm_lot(std::string_view bytes) {
  return decode_with<FarmLotRecord>(bytes, kTagFarmLot, [](Reader& r, bool&) {
    FarmLotRecord f;
    f.farm_id = r.bytes();
    f.index = r.u64();
    f.lot_id = r.bytes();
    return f;
  });
}

std::optional<YieldTallyRecord> decode_yield_tally(std::string_view bytes) {
  return decode_with<YieldTallyRecord>(bytes, kTagYieldTally, [](Reader& r, bool&) {
    YieldTallyRecord t;
    t.farm_id = r.bytes();
    t.plot_id = r.bytes();
    t.year = r.i64();
    t.mass_g = r.u64();
    return t;
  });
}

std::optional<CertificateRecord> decode_certificate(std::string_view bytes) {
  return decode_with<CertificateRecord>(bytes, kTagCertificate, [](Reader& r, bool& bad) {
    CertificateRecord c;
    c.certificate_id = r.bytes();
    c.scheme = read_enum(r, Scheme::kFourC, bad);
    c.issuer = r.bytes();
    c.holder = r.bytes();
    c.crops.resize(r.count(1));
    for (auto& crop : c.crops) crop = read_enum(r, Crop::kCocoa, bad);
    c.valid_from = r.i64();
    c.valid_until = r.i64();
    c.issued_at = r.i64();
    c.changes.resize(r.count(1 + 8 + kMinString));
    for (auto& ch : c.changes) {
      ch.status = read_enum(r, CertStatus::kWithdrawn, bad);
      ch.effective_at = r.i64();
      ch.reason = r.bytes();
    }
    c.conversion_start = r.i64();
    return c;
  });
}

std::optional<CertificateMemberRecord> decode_certificate_member(std::string_view bytes) {
  return decode_with<CertificateMemberRecord>(
      bytes, kTagCertificateMember, [](Reader& r, bool& bad) {
        CertificateMemberRecord m;
        m.certificate_id = r.bytes();
        m.farm_id = r.bytes();
        m.changes.resize(r.count(1 + 8 + 8 + kMinString + kMinString));
        for (auto& c : m.changes) {
          c.status = read_enum(r, MemberStatus::kExcluded, bad);
          c.effective_at = r.i64();
          c.conversion_start = r.i64();
          c.by = r.bytes();
          c.reason = r.bytes();
        }
        m.estimates.resize(r.count(8 + 1 + 3 * 8));
        for (auto& e : m.estimates) {
          e.season = r.i64();
          e.form = read_enum(r, Form::kCocoaPulp, bad);
          e.proposed_g = r.u64();
          e.approved_g = r.u64();
          e.harvested_g = r.u64();
        }
        return m;
      });
}

std::optional<CertificateMembersRecord> decode_certificate_members(std::string_view bytes) {
  return decode_with<CertificateMembersRecord>(bytes, kTagCertificateMembers, [](Reader& r, bool&) {
    CertificateMembersRecord m;
    m.certificate_id = r.bytes();
    m.farm_ids = read_strings(r);
    return m;
  });
}

std::optional<HolderCertificatesRecord> decode_holder_certificates(std::string_view bytes) {
  return decode_with<HolderCertificatesRecord>(bytes, kTagHolderCertificates, [](Reader& r, bool&) {
    HolderCertificatesRecord h;
    h.holder = r.bytes();
    h.certificate_ids = read_strings(r);
    return h;
  });
}

std::optional<LotRecord> decode_lot(std::string_view bytes) {
  return decode_with<LotRecord>(bytes, kTagLot, [](Reader& r, bool& bad) {
    LotRecord l;
    l.lot_id = r.bytes();
    l.crop = read_enum(r, Crop::kCocoa, bad);
    l.form = read_enum(r, Form::kCocoaPulp, bad);
    l.mass_g = r.u64();
    l.produced_g = r.u64();
    l.owner = r.bytes();
    l.origins.resize(r.count(2 * kMinString));
    for (auto& o : l.origins) {
      o.farm_id = r.bytes();
      o.plot_id = r.bytes();
    }
    l.claims.resize(r.count(1 + 4));
    for (auto& c : l.claims) {
      c.scheme = read_enum(r, Scheme::kFourC, bad);
      c.certificate_ids = read_strings(r);
    }
    l.inputs = read_lot_amounts(r);
    l.created_by_step = read_enum(r, ProcessingStep::kBlend, bad);
    l.created_at = r.i64();
    l.last_event_at = r.i64();
    l.facility = r.bytes();
    l.quality = read_quality(r);
    l.holds.resize(r.count(1 + 2 * kMinString + 8));
    for (auto& h : l.holds) {
      h.scheme = read_enum(r, Scheme::kFourC, bad);
      h.certificate_id = r.bytes();
      h.by = r.bytes();
      h.held_at = r.i64();
    }
    l.in_transit_g = r.u64();
    l.history.resize(r.count(1 + 32 + 8 + kMinString));
    for (auto& h : l.history) h = read_lot_event(r, bad);
    if (!r.at_end()) {
      l.earlier_events = r.u64();
      bad = bad || l.earlier_events == 0;  // written only when positive
    }
    return l;
  });
}

std::optional<LotEventRecord> decode_lot_event(std::string_view bytes) {
  return decode_with<LotEventRecord>(bytes, kTagLotEvent,
                                     [](Reader& r, bool& bad) { return read_lot_event(r, bad); });
}

std::optional<ExportRecord> decode_export(std::string_view bytes) {
  return decode_with<ExportRecord>(bytes, kTagExport, [](Reader& r, bool& bad) {
    ExportRecord e;
    e.export_id = r.bytes();
    e.exporter = r.bytes();
    e.lots = read_lot_amounts(r);
    e.destination_country = r.bytes();
    e.destination_port = r.bytes();
    e.buyer = r.bytes();
    e.hs_code = r.bytes();
    e.shipped_at = r.i64();
    e.claims = read_schemes(r, bad);
    e.tx_id = r.hash();
    return e;
  });
}

}  // namespace coopchain
