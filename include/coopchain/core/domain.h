// The plain domain types of coopchain: enums, events, and the times and masses they carry.
// Masses are integer grams, areas integer square metres, times integer milliseconds since the
// Unix epoch (UTC); nothing here is floating point. Protobuf types never appear in this header.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace coopchain {

using TimeMs = int64_t;  // milliseconds since 1970-01-01T00:00:00Z

enum class Crop : uint8_t { kUnspecified = 0, kCoffee, kCocoa };
// The last three are by-products: coffee cascara (dried cherry pulp and skin), cocoa shell and
// cocoa pulp.
enum class Form : uint8_t {
  kUnspecified = 0,
  kCherry,
  kWetBeans,
  kParchment,
  kGreen,
  kDryBeans,
  kCascara,
  kCocoaShell,
  kCocoaPulp
};
enum class Scheme : uint8_t {
  kUnspecified = 0,
  kEuOrganic,
  kUsdaOrganic,
  kFairtrade,
  kRainforestAlliance,
  kFourC
};
enum class CertStatus : uint8_t { kUnspecified = 0, kActive, kSuspended, kWithdrawn };
// A member farm's standing under a group certificate; only kApproved lets its harvests claim it.
enum class MemberStatus : uint8_t {
  kUnspecified = 0,
  kProposed,
  kApproved,
  kSanctioned,
  kExcluded
};
// An inspection's result: a pass confirms the lot's claim, a failure takes it away.
enum class InspectionOutcome : uint8_t { kPass = 1, kFail = 2 };
// A deforestation assessment's finding against the EUDR cut-off of 31 December 2020.
enum class Deforestation : uint8_t { kUnspecified = 0, kFree, kNotFree, kInsufficientData };
enum class OrgKind : uint8_t {
  kUnspecified = 0,
  kCooperative,
  kProcessor,
  kCertifier,
  kExporter,
  kAuditor
};
// An organization's standing in the network: only an active one's events are taken.
enum class OrgStatus : uint8_t { kUnspecified = 0, kActive, kSuspended, kRemoved };
enum class ProcessingStep : uint8_t {
  kUnspecified = 0,
  kWetMill,
  kFermentation,
  kDrying,
  kDryMill,
  kSorting,
  kSplit,
  kBlend
};

// The contract's spellings ("COFFEE", "EU_ORGANIC", ...); "UNSPECIFIED" for the zero value.
std::string_view name_of(Crop v);
std::string_view name_of(Form v);
std::string_view name_of(Scheme v);
std::string_view name_of(CertStatus v);
std::string_view name_of(MemberStatus v);
std::string_view name_of(InspectionOutcome v);
std::string_view name_of(Deforestation v);
std::string_view name_of(OrgKind v);
std::string_view name_of(OrgStatus v);
std::string_view name_of(ProcessingStep v);
std::optional<OrgKind> parse_org_kind(std::string_view name);

// Organic schemes are the ones whose broken claim is ORGANIC_MIXING rather than
// CLAIM_NOT_CERTIFIED.
bool is_organic(Scheme s);

// WGS84 coordinates in units of 1e-7 degree (about 1 cm), converted once at the edge from
// the GeoJSON numbers so that rules never touch floating point.
struct Position {
  int64_t lon_e7 = 0;
  int64_t lat_e7 = 0;
  bool operator==(const Position&) const = default;
};

struct Geometry {
  // kInvalid is never stored (the rules refuse it); values are appended, never renumbered.
  enum class Type : uint8_t { kNone = 0, kPoint, kPolygon, kInvalid, kMultiPolygon };
  Type type = Type::kNone;
  // A Point is one ring of one position; a Polygon is its linear rings, outer ring first; a
  // MultiPolygon is the outer ring of each of its polygons (a polygon with holes is kInvalid).
  std::vector<std::vector<Position>> rings;
  // Why the edge could not read the GeoJSON (type kInvalid); reported as BAD_GEOMETRY.
  std::string invalid_reason;
  bool operator==(const Geometry&) const = default;
};

struct Plot {
  std::string plot_id;
  uint64_t area_m2 = 0;
  Crop crop = Crop::kUnspecified;
  Geometry geometry;
  // The botanical species ("Coffea arabica"); empty in an event: the crop's default, which is
  // what the state stores.
  std::string species;
};

struct LotAmount {
  std::string lot_id;
  uint64_t mass_g = 0;
};

// A cocoa cut test: of the beans cut open, how many per mille were well fermented, slaty,
// mouldy and insect-damaged.
struct CutTest {
  uint32_t well_fermented_per_mille = 0;
  uint32_t slaty_per_mille = 0;
  uint32_t mouldy_per_mille = 0;
  uint32_t insect_damaged_per_mille = 0;
  bool operator==(const CutTest&) const = default;
};

// What a lot's sample showed; 0 is "not measured" throughout.
struct Quality {
  std::string grade;
  uint32_t cup_score_tenths = 0;  // SCA cup score × 10 (84.5 is 845); coffee
  uint32_t moisture_per_mille = 0;
  uint32_t defects_primary = 0;    // SCA category 1 defects in a 350 g sample; coffee
  uint32_t defects_secondary = 0;  // SCA category 2 defects in a 350 g sample; coffee
  uint32_t screen_size = 0;        // in 64ths of an inch (8 … 20); coffee
  CutTest cut_test = {};           // cocoa
  bool operator==(const Quality&) const = default;
  bool empty() const { return *this == Quality{}; }
};

struct RegisterFarm {
  std::string farm_id;
  std::string farmer_ref;
  std::vector<Plot> plots;
  std::string country;  // ISO 3166-1 alpha-2; empty: the chain's default_country
};

struct Harvest {
  std::string lot_id;
  std::string farm_id;
  std::string plot_id;
  Crop crop = Crop::kUnspecified;
  Form form = Form::kUnspecified;
  uint64_t mass_g = 0;
  TimeMs harvested_at = 0;
  std::vector<std::string> certificate_ids;
};

// A second output of a processing step: a lot of its own, in a by-product form.
struct ByProduct {
  std::string lot_id;
  Form form = Form::kUnspecified;
  uint64_t mass_g = 0;
};

struct Processing {
  std::string output_lot_id;
  std::vector<LotAmount> inputs;
  ProcessingStep step = ProcessingStep::kUnspecified;
  Form output_form = Form::kUnspecified;
  uint64_t output_mass_g = 0;
  std::string facility;
  TimeMs processed_at = 0;
  std::vector<Scheme> claims;
  Quality quality;
  std::vector<ByProduct> by_products = {};
};

struct IssueCertificate {
  std::string certificate_id;
  Scheme scheme = Scheme::kUnspecified;
  std::string holder;  // a farm id or an organization id
  std::vector<Crop> crops;
  TimeMs valid_from = 0;
  TimeMs valid_until = 0;
  // When the covered land's organic conversion started (0: not recorded, converted): for a
  // farm's own certificate, that farm's; for a group certificate, every member's without one
  // of its own.
  TimeMs conversion_start = {};
};

struct ChangeCertificateStatus {
  std::string certificate_id;
  CertStatus status = CertStatus::kUnspecified;
  TimeMs effective_at = 0;
  std::string reason;
};

// One finding of an inspection: a code from the certifier's catalogue and its words.
struct InspectionFinding {
  std::string code;  // e.g. "RESIDUE_DETECTED"
  std::string text;
  bool operator==(const InspectionFinding&) const = default;
};

// An inspection of a lot under a certificate. PASS confirms the scheme's claim the lot already
// carries; FAIL takes it away, for the lot and whatever is made from it afterwards.
struct CertifyLot {
  std::string lot_id;
  std::string certificate_id;
  TimeMs inspected_at = 0;
  std::string findings;  // the inspector's summary
  InspectionOutcome outcome = InspectionOutcome::kPass;
  std::vector<InspectionFinding> nonconformities = {};
};

// A certifier stops a lot from changing hands, or being processed or exported under the
// certificate's scheme, until it releases the lot (or fails it).
struct HoldLot {
  std::string lot_id;
  std::string certificate_id;
  TimeMs held_at = 0;
  std::string reason;
};

struct ReleaseLot {
  std::string lot_id;
  std::string certificate_id;
  TimeMs released_at = 0;
  std::string reason;
};

struct Transfer {
  std::string lot_id;
  std::string to_organization;
  uint64_t mass_g = 0;
  TimeMs transferred_at = 0;
};

struct Export {
  std::string export_id;
  std::vector<LotAmount> lots;
  std::string destination_country;  // ISO 3166-1 alpha-2
  std::string destination_port;
  std::string buyer;
  std::string hs_code;
  TimeMs shipped_at = 0;
  std::vector<Scheme> claims;
};

// A cooperative's correction of one of its farms' plots: a new geometry and area (a Point
// replaced by the surveyed Polygon, a re-survey). The plot keeps what it replaces as history.
struct UpdatePlot {
  std::string farm_id;
  std::string plot_id;
  uint64_t area_m2 = 0;
  Geometry geometry;
};

// An accredited certifier's deforestation assessment of a plot (its current geometry) against
// the EUDR cut-off: the finding, how it was reached, and a reference to the evidence (e.g. a
// satellite analysis id).
struct AssessPlot {
  std::string farm_id;
  std::string plot_id;
  Deforestation result = Deforestation::kUnspecified;
  std::string method;
  std::string reference;
  TimeMs assessed_at = 0;
};

// A farm's membership of a group certificate, set by the holding cooperative (propose,
// sanction, exclude) or the issuing certifier (any status, and the conversion start).
struct SetCertificateMember {
  std::string certificate_id;
  std::string farm_id;
  MemberStatus status = MemberStatus::kUnspecified;
  TimeMs conversion_start = 0;  // 0: unchanged
  TimeMs effective_at = 0;
  std::string reason;
};

// A member farm's yield estimate for a season (calendar year) in its harvest form (CHERRY or
// WET_BEANS) under a group certificate: the holding cooperative's internal control system sets
// it, the issuing certifier approves a figure; harvests claiming the certificate beyond the
// approved figure are refused.
struct SetYieldEstimate {
  std::string certificate_id;
  std::string farm_id;
  int64_t season = 0;
  Form form = Form::kUnspecified;
  uint64_t mass_g = 0;
  std::string reason;
};

struct ApproveYieldEstimate {
  std::string certificate_id;
  std::string farm_id;
  int64_t season = 0;
  Form form = Form::kUnspecified;
  uint64_t mass_g = 0;  // the approved figure, normally the one the cooperative set
  std::string reason;
};

// The recipient of a transfer weighs what arrived. Less than was sent is a loss (with a reason);
// more, within the chain's tolerance, is a scale difference and the lot keeps the mass sent.
struct ReceiveLot {
  std::string lot_id;
  uint64_t mass_g = 0;
  TimeMs received_at = 0;
  std::string reason;
  Quality quality = {};  // what the recipient's sample showed; empty: not sampled
};

// ---- Governance: what a majority of the member cooperatives may change -----------------------

// An organization joins the network with its kind, name and signing keys (raw 32-byte Ed25519).
// A certifier joins unaccredited; its accreditation is a change of its own.
struct AddOrganization {
  std::string org_id;
  std::string name;
  OrgKind kind = OrgKind::kUnspecified;
  std::vector<std::string> public_keys;
  bool operator==(const AddOrganization&) const = default;
};

// Suspended: its new events are refused until it is reinstated (kActive). Removed: for good.
// Its history stays either way.
struct SetOrganizationStatus {
  std::string org_id;
  OrgStatus status = OrgStatus::kUnspecified;
  bool operator==(const SetOrganizationStatus&) const = default;
};

// A certifier accredited for a scheme, or the accreditation withdrawn.
struct SetAccreditation {
  std::string org_id;
  Scheme scheme = Scheme::kUnspecified;
  bool accredited = false;
  bool operator==(const SetAccreditation&) const = default;
};

// A signing key added to an organization (raw 32 bytes), e.g. after it lost all of its own.
struct AddOrganizationKey {
  std::string org_id;
  std::string public_key;
  bool operator==(const AddOrganizationKey&) const = default;
};

// One key of an organization revoked (key id: lowercase hex SHA-256 of the raw key), or, with
// no key id, every key it has: the recovery of an organization whose keys were stolen.
struct RevokeOrganizationKey {
  std::string org_id;
  std::string key_id;
  bool operator==(const RevokeOrganizationKey&) const = default;
};

// A conversion cap in per mille: output mass ≤ input mass × per_mille / 1000.
struct ConversionCap {
  Form from = Form::kUnspecified;
  Form to = Form::kUnspecified;
  uint32_t per_mille = 0;
  bool operator==(const ConversionCap&) const = default;
};

// How many months a farm's land must be managed to a scheme's standard before its harvest may
// claim the scheme (the organic conversion period; for perennials such as coffee and cocoa, 36).
struct ConversionPeriod {
  Scheme scheme = Scheme::kUnspecified;
  uint32_t months = 0;
  bool operator==(const ConversionPeriod&) const = default;
};

// Chain parameters changed (RuleParams); a field left empty keeps its value, a list given
// replaces the whole list. They apply to the transactions after the block's passing one, and
// block limits and the future skew to the blocks after it.
struct SetParameters {
  std::optional<uint64_t> coffee_yield_cap_g_per_ha;
  std::optional<uint64_t> cocoa_yield_cap_g_per_ha;
  std::optional<std::vector<ConversionCap>> conversion_caps;
  std::optional<int64_t> future_skew_ms;
  std::optional<int64_t> lateness_ms;
  std::optional<std::vector<std::string>> eu_countries;  // sorted, each once
  std::optional<uint64_t> eudr_polygon_min_area_m2;
  std::optional<uint32_t> max_block_txs;
  std::optional<uint64_t> max_block_bytes;
  std::optional<std::string> default_country;
  std::optional<bool> eudr_require_assessment;
  std::optional<std::vector<ConversionPeriod>> conversion_periods;  // sorted by scheme
  std::optional<uint32_t> reception_tolerance_bp;
  std::optional<uint32_t> governance_threshold_per_mille;
  bool operator==(const SetParameters&) const = default;
};

// The part a node plays. A validator votes: a majority of the validators in force certifies
// each block. A learner receives the chain to catch up before it is promoted; an observer follows
// the chain and serves queries (an exporter's or a certifier's own copy). Neither votes.
enum class NodeRole : uint8_t { kUnspecified = 0, kValidator, kLearner, kObserver };

// A node admitted to the network, as a learner or an observer: a validator is a learner promoted
// once it has caught up, so that no validator joins with an empty chain.
struct AddNode {
  std::string node_id;
  std::string org_id;  // the organization that runs it
  NodeRole role = NodeRole::kUnspecified;
  std::string vote_key;      // raw 32-byte Ed25519 key its votes are signed with
  std::string tls_pin;       // raw 32 bytes (Validator::tls_pin); empty in a network with a CA
  std::string peer_address;  // host:port where its peers reach it
  bool operator==(const AddNode&) const = default;
};

// A learner becomes a validator: the validators in force change from the next block.
struct PromoteNode {
  std::string node_id;
  bool operator==(const PromoteNode&) const = default;
};

// A node leaves the network (a validator that is down included: that is when it is needed).
struct RemoveNode {
  std::string node_id;
  bool operator==(const RemoveNode&) const = default;
};

// A node's identity replaced (a new server, a stolen key): a field left empty keeps its value.
struct RotateNode {
  std::string node_id;
  std::string vote_key;
  std::string tls_pin;
  std::string peer_address;
  bool operator==(const RotateNode&) const = default;
};

using GovernanceChange = std::variant<AddOrganization, SetOrganizationStatus, SetAccreditation,
                                      AddOrganizationKey, RevokeOrganizationKey, SetParameters,
                                      AddNode, PromoteNode, RemoveNode, RotateNode>;

// A member cooperative proposes changes, applied together, in order, in the block where the
// approvals (the proposer's counts) pass the chain's governance threshold (by default more than
// half of the active member cooperatives). Approvals after `expires_at` (block time) are refused.
struct ProposeChange {
  std::string proposal_id;
  std::vector<GovernanceChange> changes;
  TimeMs expires_at = 0;
  std::string reason;
};

struct ApproveChange {
  std::string proposal_id;
};

// The proposer takes back a pending proposal.
struct WithdrawProposal {
  std::string proposal_id;
  std::string reason;
};

// An organization manages its own keys, signing with one it still holds: it adds a key (a new
// laptop), or revokes one (a lost or stolen one) as long as another remains.
struct AddKey {
  std::string public_key;
};

struct RevokeKey {
  std::string key_id;
  std::string reason;
};

using Event =
    std::variant<RegisterFarm, Harvest, Processing, IssueCertificate, ChangeCertificateStatus,
                 CertifyLot, Transfer, Export, UpdatePlot, AssessPlot, SetCertificateMember,
                 HoldLot, ReleaseLot, SetYieldEstimate, ApproveYieldEstimate, ReceiveLot,
                 ProposeChange, ApproveChange, WithdrawProposal, AddKey, RevokeKey>;

// The JSON name of the event's oneof case: "registerFarm", "harvest", ...
std::string_view event_type_name(const Event& event);

}  // namespace coopchain
