// The typed records of the world state, their canonical encoding and the key schema.
//
// Every record has exactly one encoding (core's Writer: a leading format byte, then the fields in
// declaration order), so the bytes that enter the state root are the same on every build. A
// decoder returns nullopt for anything that is not exactly such an encoding: a short read, an
// enum value out of range, a wrong format byte or trailing bytes.
//
// Keys are "<kind>/<id>"; no kind prefix is a prefix of another, so kinds never collide. Ids are
// printable ASCII without spaces (the rules refuse others), so the one composite key (the harvest
// tally) joins its parts with a space.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coopchain/core/domain.h"
#include "coopchain/core/genesis.h"
#include "coopchain/core/hash.h"
#include "coopchain/core/params.h"
#include "coopchain/core/rule_code.h"

namespace coopchain {

// Core's value types have no equality yet; records compare field by field, so define it here.
// (If core gains defaulted operator== for these, delete these two.)
bool operator==(const Plot& a, const Plot& b);
bool operator==(const LotAmount& a, const LotAmount& b);

// ---- Organizations and keys (written once, by genesis_state) -------------------------------

struct OrgRecord {
  std::string id;
  std::string name;
  OrgKind kind = OrgKind::kUnspecified;
  bool accredited = false;  // certifiers: may issue certificates
  // The schemes it is accredited for; empty (and accredited): every scheme.
  std::vector<Scheme> accredited_schemes = {};
  OrgStatus status = OrgStatus::kActive;
  // Every key registered to it, revoked ones included, in the order they were registered.
  std::vector<std::string> key_ids = {};
  bool operator==(const OrgRecord&) const = default;

  bool accredited_for(Scheme scheme) const;
};

// One per registered public key: key_id (lowercase hex SHA-256 of the raw key) → organization.
struct KeyRecord {
  std::string key_id;
  std::string org_id;
  uint64_t revoked_height = 0;  // the block that revoked it; 0: in force
  bool operator==(const KeyRecord&) const = default;

  bool revoked() const { return revoked_height != 0; }
};

// ---- Governance ------------------------------------------------------------------------------

enum class ProposalStatus : uint8_t { kPending = 1, kPassed, kWithdrawn };
std::string_view name_of(ProposalStatus v);

// A proposed set of governance changes and who approved it, from proposal to its close.
struct ProposalRecord {
  std::string proposal_id;
  std::string proposer;  // the cooperative that proposed it
  std::vector<GovernanceChange> changes;
  TimeMs expires_at = 0;
  std::string reason;
  uint64_t proposed_height = 0;
  std::vector<std::string> approvals = {};  // organizations, in order; the proposer first
  ProposalStatus status = ProposalStatus::kPending;
  uint64_t closed_height = 0;  // the block that passed or withdrew it; 0 while pending
  bool operator==(const ProposalRecord&) const = default;
};

// The governance of the network at a glance: the cooperatives that govern (the active ones,
// sorted), every organization (the genesis's, then those added, in order) and every proposal,
// in the order proposed.
struct GovernanceRecord {
  std::vector<std::string> governors;
  std::vector<std::string> org_ids = {};
  std::vector<std::string> proposal_ids = {};
  bool operator==(const GovernanceRecord&) const = default;

  bool governs(std::string_view org_id) const;
  // Of `approvals`, those that count now: by organizations that still govern.
  size_t approvals_counted(const std::vector<std::string>& approvals) const;
};

// The nodes admitted to the network, each with its role (NodeRole).
std::string_view name_of(NodeRole v);

struct NodeRecord {
  std::string node_id;
  std::string vote_key;  // raw 32-byte Ed25519 key its votes are signed with
  NodeRole role = NodeRole::kValidator;
  std::string tls_pin = {};       // as Validator::tls_pin
  std::string org_id = {};        // the organization that runs it; empty for a genesis validator
  std::string peer_address = {};  // empty for a genesis validator: its peers' configs name it
  bool operator==(const NodeRecord&) const = default;
};

// Every node in force (the genesis's validators in its order, then those added), and the validators
// before the last change of them, so that the certificate of any block since that change can be
// checked from the state after it.
struct NodeSetRecord {
  std::vector<NodeRecord> nodes;
  std::vector<NodeRecord> previous_validators = {};  // empty until the first change
  uint64_t changed_height = 0;  // the block whose state first holds `nodes`' validators
  bool operator==(const NodeSetRecord&) const = default;

  // The validators whose majority certifies block `height`. REQUIRES: this record is of the
  // state after a block at or above height − 1 (and the change, if any, at changed_height).
  std::vector<Validator> validators_for(uint64_t height) const;
  const NodeRecord* find(std::string_view node_id) const;
  NodeRecord* find(std::string_view node_id);
};

// ---- Farms -----------------------------------------------------------------------------------

struct FarmRecord {
  std::string farm_id;
  std::string cooperative;  // the organization id of the cooperative that registered it
  std::string farmer_ref;
  TimeMs registered_at = 0;  // block time of the registering block
  std::string country;       // ISO 3166-1 alpha-2, the event's or the chain's default
  // In registration order; plot ids unique; species resolved; each with its current geometry
  // and area (an updatePlot replaces them; plot_history_key keeps what it replaced).
  std::vector<Plot> plots;
  uint64_t registered_height = 0;  // the registering block
  Hash256 registered_tx{};         // the registerFarm transaction
  bool operator==(const FarmRecord&) const = default;

  const Plot* find_plot(std::string_view plot_id) const;
};

// How many lots have the farm among their origins; lot i (0-based, creation order) is stored
// under farm_lot_key(farm, i), so adding a lot costs the same however many the farm has.
struct FarmLotsRecord {
  std::string farm_id;
  uint64_t count = 0;
  bool operator==(const FarmLotsRecord&) const = default;
};

struct FarmLotRecord {
  std::string farm_id;
  uint64_t index = 0;
  std::string lot_id;
  bool operator==(const FarmLotRecord&) const = default;
};

// Grams harvested from one plot in one UTC calendar year (the YIELD_IMPLAUSIBLE tally).
struct YieldTallyRecord {
  std::string farm_id;
  std::string plot_id;
  int64_t year = 0;
  uint64_t mass_g = 0;
  bool operator==(const YieldTallyRecord&) const = default;
};

// ---- Certificates ----------------------------------------------------------------------------

struct CertStatusChange {
  CertStatus status = CertStatus::kUnspecified;
  TimeMs effective_at = 0;
  std::string reason;
  bool operator==(const CertStatusChange&) const = default;
};

struct CertificateRecord {
  std::string certificate_id;
  Scheme scheme = Scheme::kUnspecified;
  std::string issuer;  // the certifier's organization id
  std::string holder;  // a farm id or an organization id
  std::vector<Crop> crops;
  TimeMs valid_from = 0;  // valid for valid_from ≤ t < valid_until
  TimeMs valid_until = 0;
  TimeMs issued_at = 0;                   // block time of the issuing block
  std::vector<CertStatusChange> changes;  // in commit order (not sorted by effective_at)
  TimeMs conversion_start = 0;            // IssueCertificate's; 0: not recorded
  bool operator==(const CertificateRecord&) const = default;

  bool covers(Crop crop) const;
};

// A change of a farm's membership of a group certificate, by the holding cooperative or the
// issuing certifier.
struct MemberChange {
  MemberStatus status = MemberStatus::kUnspecified;
  TimeMs effective_at = 0;
  TimeMs conversion_start = 0;  // 0: this change did not set it
  std::string by;               // the organization that made the change
  std::string reason;
  bool operator==(const MemberChange&) const = default;
};

// A member farm's yield in one season (calendar year) and harvest form under a group
// certificate: what the internal control system estimated, what the certifier approved, and
// what harvests claiming the certificate have brought in.
struct YieldEstimate {
  int64_t season = 0;  // the UTC calendar year of the harvests it covers
  Form form = Form::kUnspecified;
  uint64_t proposed_g = 0;   // setYieldEstimate; 0: none
  uint64_t approved_g = 0;   // approveYieldEstimate; 0: none, the global yield cap alone
  uint64_t harvested_g = 0;  // harvests claiming the certificate
  bool operator==(const YieldEstimate&) const = default;
};

// A farm's membership of a group certificate (one held by an organization): every change, in
// commit order, and its yield estimates.
struct CertificateMemberRecord {
  std::string certificate_id;
  std::string farm_id;
  std::vector<MemberChange> changes;
  std::vector<YieldEstimate> estimates = {};  // sorted by season, then form
  bool operator==(const CertificateMemberRecord&) const = default;

  // The season's estimate for `form`, created empty (in order) when there is none.
  YieldEstimate& estimate(int64_t season, Form form);
  const YieldEstimate* find_estimate(int64_t season, Form form) const;

  // The status in force at `t`: the change with the latest effective_at ≤ t (of equal ones, the
  // last committed); kUnspecified before the first.
  MemberStatus status_at(TimeMs t) const;
  // The newest status committed, whatever its effective time.
  MemberStatus latest_status() const;
  // When the farm's organic conversion started, as last set by the certifier; 0 when never.
  TimeMs conversion_start() const;
};

// The farms with a membership record of one certificate, sorted by id, each once.
struct CertificateMembersRecord {
  std::string certificate_id;
  std::vector<std::string> farm_ids;
  bool operator==(const CertificateMembersRecord&) const = default;
};

// The certificates held by one farm or organization, sorted by id, each once.
struct HolderCertificatesRecord {
  std::string holder;
  std::vector<std::string> certificate_ids;
  bool operator==(const HolderCertificatesRecord&) const = default;
};

// ---- Lots ------------------------------------------------------------------------------------

struct LotOrigin {
  std::string farm_id;
  std::string plot_id;
  auto operator<=>(const LotOrigin&) const = default;
};

// A scheme the lot claims, with the certificates the claim rests on (sorted, each once).
struct LotClaim {
  Scheme scheme = Scheme::kUnspecified;
  std::vector<std::string> certificate_ids;
  bool operator==(const LotClaim&) const = default;
};

enum class LotEventKind : uint8_t {
  kUnspecified = 0,
  kHarvest,     // the lot was harvested
  kProcessing,  // the lot was produced by a processing step
  kInput,       // the lot gave mass to a processing step
  kTransfer,    // the lot changed hands
  kCertifyLot,  // a certifier inspected the lot
  kExport,      // mass of the lot was exported
  kHold,        // a certifier put the lot on hold for a scheme
  kRelease,     // a certifier released the hold
  kReceive,     // the recipient of a transfer weighed it in
};
// "harvest", "processing", "input", "transfer", "certifyLot", "export", "holdLot", "releaseLot",
// "receiveLot".
std::string_view name_of(LotEventKind kind);

// A claim a transfer could not carry to the recipient, and the rule that stopped it.
struct DroppedClaim {
  Scheme scheme = Scheme::kUnspecified;
  RuleCode reason = RuleCode::kOk;
  bool operator==(const DroppedClaim&) const = default;
};

// One step of a lot's history, in structured fields only: the state holds no text the node
// words itself (the API renders that), so what consensus hashes never changes with a message.
// Besides the fields every kind has, each kind fills only its own, which are all that its
// encoding keeps; the others stay empty:
//   kInput: step, lot_id (the output lot);
//   kTransfer: organization (the recipient), dropped_claims;
//   kCertifyLot: findings (the certifier's words, copied verbatim from the signed event),
//     outcome, nonconformities, scheme (the certificate's), claim_removed (a failure took the
//     lot's claim away);
//   kHold, kRelease: findings (the reason), scheme;
//   kReceive: findings (the reason), received_g (what the weighbridge showed; mass_delta_g is
//     the loss, never a gain), quality (the recipient's sample);
//   kExport: export_id.
// A harvest's farm and plot are the lot's origin; a processing step and facility are the lot's.
struct LotEventRecord {
  LotEventKind kind = LotEventKind::kUnspecified;
  Hash256 tx_id{};
  TimeMs at = 0;                                  // the event's own time (harvestedAt, ...)
  std::string actor;                              // the signer's organization id
  std::vector<std::string> certificates_checked;  // certificate ids the event's checks relied on
  int64_t mass_delta_g = 0;                       // change of the lot's mass by this event
  ProcessingStep step = ProcessingStep::kUnspecified;
  std::string lot_id;
  std::vector<std::string> by_products = {};  // input: the step's by-product lots, in its order
  std::string organization;
  std::vector<DroppedClaim> dropped_claims;
  std::string findings;
  std::string export_id;
  InspectionOutcome outcome = InspectionOutcome::kPass;
  std::vector<InspectionFinding> nonconformities = {};
  Scheme scheme = Scheme::kUnspecified;
  bool claim_removed = false;
  uint64_t received_g = 0;
  Quality quality = {};
  bool operator==(const LotEventRecord&) const = default;
};

// A certifier's hold on a lot's scheme (holdLot), open until released or the lot failed.
struct LotHold {
  Scheme scheme = Scheme::kUnspecified;
  std::string certificate_id;  // the certificate whose issuer holds it
  std::string by;              // that issuer
  TimeMs held_at = 0;
  bool operator==(const LotHold&) const = default;
};

inline constexpr size_t kLotHistoryInline = 64;

struct LotRecord {
  std::string lot_id;
  Crop crop = Crop::kUnspecified;
  Form form = Form::kUnspecified;
  uint64_t mass_g = 0;             // held now
  uint64_t produced_g = 0;         // mass when the lot was created
  std::string owner;               // organization id
  std::vector<LotOrigin> origins;  // sorted, unique
  std::vector<LotClaim> claims;    // sorted by scheme, each scheme once
  std::vector<LotAmount> inputs;   // processing outputs: the input lots and masses taken
  ProcessingStep created_by_step = ProcessingStep::kUnspecified;  // kUnspecified: a harvest
  TimeMs created_at = 0;     // event time of the creating event
  TimeMs last_event_at = 0;  // event time of the latest event on the lot
  std::string facility;
  Quality quality;  // the latest sample: its processing step's, or a reception's since
  std::vector<LotHold> holds = {};  // open holds, sorted by scheme, each scheme once
  // The mass its last transfer sent while the recipient has not weighed it in (receiveLot) nor
  // used it; 0: not in transit.
  uint64_t in_transit_g = 0;
  // The latest entries, in commit order: at most kLotHistoryInline. Older ones were moved to
  // lot_history_key(lot_id, 0 .. earlier_events-1), so that a lot's record, and the cost of
  // every write to it, stays bounded however long its history grows.
  std::vector<LotEventRecord> history;
  uint64_t earlier_events = 0;
  bool operator==(const LotRecord&) const = default;

  const LotClaim* find_claim(Scheme scheme) const;
  const LotHold* find_hold(Scheme scheme) const;
};

// ---- Plot history (updatePlot) ----------------------------------------------------------------

// A plot whose geometry was updated: since when its current geometry holds, and how many it had
// before, each stored under plot_revision_key(farm, plot, 0 .. earlier-1), oldest first. A plot
// never updated has no such record: its geometry holds since the farm's registration.
struct PlotHistoryRecord {
  std::string farm_id;
  std::string plot_id;
  uint64_t since_height = 0;
  uint64_t earlier = 0;
  bool operator==(const PlotHistoryRecord&) const = default;
};

// A geometry a plot had, from one height until (not including) the height that replaced it.
struct PlotRevisionRecord {
  std::string farm_id;
  std::string plot_id;
  uint64_t index = 0;
  uint64_t area_m2 = 0;
  Geometry geometry;
  uint64_t from_height = 0;
  uint64_t until_height = 0;
  Hash256 replaced_by{};  // the updatePlot transaction
  bool operator==(const PlotRevisionRecord&) const = default;
};

// ---- Deforestation assessments (assessPlot) ---------------------------------------------------

// How many assessments a plot has; assessment i (0-based, commit order) is stored under
// plot_assessment_key(farm, plot, i). The latest decides the plot's EUDR standing.
struct PlotAssessmentsRecord {
  std::string farm_id;
  std::string plot_id;
  uint64_t count = 0;
  bool operator==(const PlotAssessmentsRecord&) const = default;
};

struct PlotAssessmentRecord {
  std::string farm_id;
  std::string plot_id;
  uint64_t index = 0;
  Deforestation result = Deforestation::kUnspecified;
  std::string method;
  std::string reference;
  TimeMs assessed_at = 0;
  std::string assessor;  // the certifier's organization id
  // The geometry assessed: how many the plot had had before it (PlotHistoryRecord::earlier at
  // the time), so an assessment of a geometry since replaced no longer counts.
  uint64_t geometry_revision = 0;
  uint64_t height = 0;
  Hash256 tx_id{};
  bool operator==(const PlotAssessmentRecord&) const = default;
};

// ---- The plot index (plot_index.h) -----------------------------------------------------------

// A plot's bounding box in 1e-7 degrees, inclusive.
struct PlotBox {
  int64_t min_lon_e7 = 0;
  int64_t min_lat_e7 = 0;
  int64_t max_lon_e7 = 0;
  int64_t max_lat_e7 = 0;
  bool operator==(const PlotBox&) const = default;
  bool intersects(const PlotBox& o) const {
    return min_lon_e7 <= o.max_lon_e7 && o.min_lon_e7 <= max_lon_e7 && min_lat_e7 <= o.max_lat_e7 &&
           o.min_lat_e7 <= max_lat_e7;
  }
};

struct PlotRef {
  std::string farm_id;
  std::string plot_id;
  PlotBox box;
  bool operator==(const PlotRef&) const = default;
};

// One cell of the plot index's loose quadtree: the plots placed in it, in the order they were
// placed, and which of its four children have plots at or below them (bit 2·y + x).
struct PlotCellRecord {
  uint8_t depth = 0;
  uint32_t x = 0;
  uint32_t y = 0;
  uint8_t children = 0;
  std::vector<PlotRef> plots;
  bool operator==(const PlotCellRecord&) const = default;
};

// ---- Exports ---------------------------------------------------------------------------------

struct ExportRecord {
  std::string export_id;
  std::string exporter;  // organization id of the signer
  std::vector<LotAmount> lots;
  std::string destination_country;
  std::string destination_port;
  std::string buyer;
  std::string hs_code;
  TimeMs shipped_at = 0;
  std::vector<Scheme> claims;  // as submitted (all held, or the export was refused)
  Hash256 tx_id{};
  bool operator==(const ExportRecord&) const = default;
};

// ---- Key schema ------------------------------------------------------------------------------

std::string org_key(std::string_view org_id);                          // "org/<id>"
std::string signing_key_key(std::string_view key_id);                  // "key/<key id hex>"
std::string farm_key(std::string_view farm_id);                        // "farm/<id>"
std::string farm_lots_key(std::string_view farm_id);                   // "farmlots/<id>"
std::string farm_lot_key(std::string_view farm_id, uint64_t index);    // "farmlot/<id> <index>"
std::string lot_history_key(std::string_view lot_id, uint64_t index);  // "lothist/<id> <index>"
std::string yield_tally_key(std::string_view farm_id, std::string_view plot_id,
                            int64_t year);                         // "tally/<farm> <plot> <year>"
std::string certificate_key(std::string_view certificate_id);      // "cert/<id>"
std::string holder_certificates_key(std::string_view holder);      // "holder/<id>"
std::string lot_key(std::string_view lot_id);                      // "lot/<id>"
std::string export_key(std::string_view export_id);                // "export/<id>"
std::string plot_cell_key(uint8_t depth, uint32_t x, uint32_t y);  // "plotcell/<depth> <x> <y>"
std::string plot_history_key(std::string_view farm_id,
                             std::string_view plot_id);  // "plothist/<farm> <plot>"
std::string plot_revision_key(std::string_view farm_id, std::string_view plot_id,
                              uint64_t index);  // "plotrev/<farm> <plot> <index>"
std::string plot_assessments_key(std::string_view farm_id,
                                 std::string_view plot_id);  // "assessments/<farm> <plot>"
std::string plot_assessment_key(std::string_view farm_id, std::string_view plot_id,
                                uint64_t index);  // "assessment/<farm> <plot> <index>"
std::string certificate_member_key(std::string_view certificate_id,
                                   std::string_view farm_id);  // "member/<certificate> <farm>"
std::string certificate_members_key(std::string_view certificate_id);  // "members/<certificate>"
std::string proposal_key(std::string_view proposal_id);                // "prop/<id>"
std::string governance_key();                                          // "governance/"
std::string params_key();                                              // "params/"
std::string nodes_key();                                               // "nodes/"

// ---- Canonical encoding ----------------------------------------------------------------------

std::string encode(const OrgRecord& r);
std::string encode(const KeyRecord& r);
std::string encode(const FarmRecord& r);
std::string encode(const FarmLotsRecord& r);
std::string encode(const FarmLotRecord& r);
std::string encode(const LotEventRecord& r);
std::string encode(const YieldTallyRecord& r);
std::string encode(const CertificateRecord& r);
std::string encode(const HolderCertificatesRecord& r);
std::string encode(const LotRecord& r);
std::string encode(const ExportRecord& r);
std::string encode(const PlotCellRecord& r);
std::string encode(const PlotHistoryRecord& r);
std::string encode(const PlotRevisionRecord& r);
std::string encode(const PlotAssessmentsRecord& r);
std::string encode(const CertificateMemberRecord& r);
std::string encode(const CertificateMembersRecord& r);
std::string encode(const PlotAssessmentRecord& r);
std::string encode(const ProposalRecord& r);
std::string encode(const GovernanceRecord& r);
std::string encode(const RuleParams& r);  // the chain parameters in force
std::string encode(const NodeSetRecord& r);

std::optional<OrgRecord> decode_org(std::string_view bytes);
std::optional<KeyRecord> decode_key(std::string_view bytes);
std::optional<FarmRecord> decode_farm(std::string_view bytes);
std::optional<FarmLotsRecord> decode_farm_lots(std::string_view bytes);
std::optional<FarmLotRecord> decode_farm_lot(std::string_view bytes);
std::optional<LotEventRecord> decode_lot_event(std::string_view bytes);
std::optional<YieldTallyRecord> decode_yield_tally(std::string_view bytes);
std::optional<CertificateRecord> decode_certificate(std::string_view bytes);
std::optional<HolderCertificatesRecord> decode_holder_certificates(std::string_view bytes);
std::optional<LotRecord> decode_lot(std::string_view bytes);
std::optional<ExportRecord> decode_export(std::string_view bytes);
std::optional<PlotCellRecord> decode_plot_cell(std::string_view bytes);
std::optional<PlotHistoryRecord> decode_plot_history(std::string_view bytes);
std::optional<PlotRevisionRecord> decode_plot_revision(std::string_view bytes);
std::optional<PlotAssessmentsRecord> decode_plot_assessments(std::string_view bytes);
std::optional<CertificateMemberRecord> decode_certificate_member(std::string_view bytes);
std::optional<CertificateMembersRecord> decode_certificate_members(std::string_view bytes);
std::optional<PlotAssessmentRecord> decode_plot_assessment(std::string_view bytes);
std::optional<ProposalRecord> decode_proposal(std::string_view bytes);
std::optional<GovernanceRecord> decode_governance(std::string_view bytes);
std::optional<RuleParams> decode_params(std::string_view bytes);
std::optional<NodeSetRecord> decode_nodes(std::string_view bytes);

}  // namespace coopchain
