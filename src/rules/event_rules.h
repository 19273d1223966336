// Internal to the rules module: the per-event rules and the checks they share. Each
// apply_<event> function checks one event against the state and, when every check passes,
// writes its effects through `world` (under a savepoint that Rules::apply undoes on rejection).
// Within an event the checks run in one order, documented in docs/rules.md: existence and
// ownership, then time, then mass, then certificates and claims, then EUDR.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coopchain/core/genesis.h"
#include "coopchain/core/rule_code.h"
#include "coopchain/core/transaction.h"
#include "coopchain/rules/rules.h"
#include "coopchain/state/records.h"
#include "coopchain/state/world.h"

namespace coopchain::rules_internal {

// What every event rule may read besides the state.
struct EventContext {
  const RuleParams& params;
  const BlockContext& block;
  const Transaction& tx;
  const OrgRecord& signer;  // the organization of the signing key
};

// ---- Shape (no state) ------------------------------------------------------------------------
Verdict check_event_shape(const Event& event);
// BAD_GEOMETRY unless the plot's geometry is one the EU accepts; AREA_MISMATCH when its
// polygons' area is far from the declared one (plot_geometry.cpp).
Verdict check_plot_geometry(const Plot& plot);
// A closed ring's area on the WGS 84 ellipsoid, in m², computed in integers only.
uint64_t polygon_area_m2(const std::vector<Position>& ring);

// PLOT_OVERLAP when the plot's polygons overlap a plot of another farm than `farm_id` by more
// than 5 % of the smaller of the two (plot_overlap.cpp). REQUIRES: the geometry passed
// check_plot_geometry.
Verdict check_plot_overlap(const WorldView& world, std::string_view farm_id, const Plot& plot);
// Puts a polygon plot in the plot index, or takes it out (Points have no area and are not
// indexed).
void index_plot_of(World& world, std::string_view farm_id, const Plot& plot);
void unindex_plot_of(World& world, std::string_view farm_id, const Plot& plot);

// ---- Signer ----------------------------------------------------------------------------------
// The organization that the transaction's public key signs for: UNKNOWN_SIGNER, KEY_REVOKED,
// ORGANIZATION_SUSPENDED, ORGANIZATION_REMOVED, in that order.
Verdict load_signer(const WorldView& world, const Transaction& tx, OrgRecord* out);
// KEY_REVOKED, naming the block that revoked the key.
Verdict key_revoked(const KeyRecord& key);
bool role_allowed(OrgKind kind, const Event& event);

// ---- Shared checks ---------------------------------------------------------------------------
// FUTURE_TIMESTAMP / TOO_LATE for an event time field named `field`.
Verdict check_event_time(const EventContext& ctx, TimeMs t, std::string_view field);
// FUTURE_TIMESTAMP alone, for a date of any age (when a farm's conversion started).
Verdict check_not_future(const EventContext& ctx, TimeMs t, std::string_view field);

// A certificate named by an event about `crop` at time t: CERT_UNKNOWN, CERTIFIER_NOT_ACCREDITED,
// CERT_NOT_YET_VALID, CERT_EXPIRED, CERT_SUSPENDED, CERT_WITHDRAWN, CERT_SCOPE, in that order.
// On success `out` receives the record.
Verdict check_certificate_use(const WorldView& world, std::string_view certificate_id, Crop crop,
                              TimeMs t, CertificateRecord* out);

// QUALITY_OUT_OF_RANGE unless every measure of a `crop` lot's sample is in its range and of its
// crop (cup score, defects and screen size for coffee; the cut test for cocoa).
Verdict check_quality(const Quality& q, Crop crop);

// How a lot that does not carry a claimed scheme is reported.
enum class MissingClaim { kByScheme, kNotCertified };

// Every lot carries each claimed scheme, usable at t, and `holder` holds the scheme for every
// lot's crop at t. `checked` collects the certificate ids relied on (sorted, unique).
Verdict check_claims(const WorldView& world, const std::vector<const LotRecord*>& lots,
                     const std::vector<Scheme>& claims, std::string_view holder, TimeMs t,
                     MissingClaim missing, std::vector<std::string>* checked);

// The lots the event names, each owned by `owner`: UNKNOWN_LOT, NOT_OWNER, in the event's order.
Verdict load_owned_lots(const WorldView& world, const std::vector<LotAmount>& items,
                        std::string_view owner, std::vector<LotRecord>* lots);

// The farm and the index of its plot, when the farm is a member of `cooperative`:
// UNKNOWN_FARM, UNKNOWN_PLOT, NOT_A_MEMBER, in that order.
Verdict load_member_plot(const WorldView& world, std::string_view farm_id, std::string_view plot_id,
                         std::string_view cooperative, FarmRecord* farm, size_t* plot_index);

// Checked arithmetic: false on overflow.
bool checked_add(uint64_t a, uint64_t b, uint64_t* out);
bool checked_mul(uint64_t a, uint64_t b, uint64_t* out);
Verdict overflow(std::string_view what);

// Inserts into a sorted vector of strings, keeping it unique.
void insert_sorted(std::vector<std::string>& v, std::string_view s);
std::string join(const std::vector<std::string>& v, std::string_view sep);

// Adds the certificate id to the lot's claim for `scheme`, creating the claim (in scheme order)
// when the lot does not carry it yet.
void add_claim(LotRecord& lot, Scheme scheme, std::string_view certificate_id);

// Appends a history entry with the transaction's id and the signer as actor, and returns it
// for the kind's own fields to be filled.
LotEventRecord& add_history(LotRecord& lot, const EventContext& ctx, LotEventKind kind, TimeMs at,
                            std::vector<std::string> certificates_checked, int64_t mass_delta_g);

// ---- Event rules -----------------------------------------------------------------------------
Verdict apply_register_farm(World& world, const EventContext& ctx, const RegisterFarm& e);
Verdict apply_update_plot(World& world, const EventContext& ctx, const UpdatePlot& e);
Verdict apply_assess_plot(World& world, const EventContext& ctx, const AssessPlot& e);
Verdict apply_harvest(World& world, const EventContext& ctx, const Harvest& e);
Verdict apply_processing(World& world, const EventContext& ctx, const Processing& e);
Verdict apply_issue_certificate(World& world, const EventContext& ctx, const IssueCertificate& e);
Verdict apply_change_certificate_status(World& world, const EventContext& ctx,
                                        const ChangeCertificateStatus& e);
Verdict apply_certify_lot(World& world, const EventContext& ctx, const CertifyLot& e);
Verdict apply_hold_lot(World& world, const EventContext& ctx, const HoldLot& e);
Verdict apply_release_lot(World& world, const EventContext& ctx, const ReleaseLot& e);
Verdict apply_set_yield_estimate(World& world, const EventContext& ctx, const SetYieldEstimate& e);
Verdict apply_approve_yield_estimate(World& world, const EventContext& ctx,
                                     const ApproveYieldEstimate& e);
Verdict apply_set_certificate_member(World& world, const EventContext& ctx,
                                     const SetCertificateMember& e);
Verdict apply_transfer(World& world, const EventContext& ctx, const Transfer& e);
Verdict apply_receive_lot(World& world, const EventContext& ctx, const ReceiveLot& e);

// ---- Governance (governance_rules.cpp) -------------------------------------------------------
Verdict apply_propose_change(World& world, const EventContext& ctx, const ProposeChange& e);
Verdict apply_approve_change(World& world, const EventContext& ctx, const ApproveChange& e);
Verdict apply_withdraw_proposal(World& world, const EventContext& ctx, const WithdrawProposal& e);
Verdict apply_add_key(World& world, const EventContext& ctx, const AddKey& e);
Verdict apply_revoke_key(World& world, const EventContext& ctx, const RevokeKey& e);
Verdict apply_export(World& world, const EventContext& ctx, const Export& e);

}  // namespace coopchain::rules_internal
