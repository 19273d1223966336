// Typed access to the world state: reads decode records from any StateReader, writes encode them
// into a StateOverlay. The key schema and encodings live in records.h; this is the only code
// that pairs a key with its record type.
//
// A key that holds bytes which do not decode as its record type means the state is corrupt
// (every value was written by these functions and is committed to by the state root); like a
// failing read of the StateReader, that is fatal to the process, never a verdict.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coopchain/state/records.h"
#include "coopchain/state/state_view.h"

namespace coopchain {

// Read-only view. The reader must outlive the view.
class WorldView {
 public:
  explicit WorldView(const StateReader& state) : state_(state) {}

  std::optional<OrgRecord> org(std::string_view org_id) const;
  // The organization a public key signs for, by key id (lowercase hex SHA-256 of the raw key).
  std::optional<KeyRecord> signing_key(std::string_view key_id) const;
  std::optional<FarmRecord> farm(std::string_view farm_id) const;
  std::optional<CertificateRecord> certificate(std::string_view certificate_id) const;
  std::optional<LotRecord> lot(std::string_view lot_id) const;
  // Every entry of the lot's history, the moved-out ones first: reads earlier_events keys.
  std::vector<LotEventRecord> full_history(const LotRecord& lot) const;
  std::optional<ExportRecord> export_record(std::string_view export_id) const;

  // Certificate ids held by a farm or organization, sorted; empty when none.
  std::vector<std::string> holder_certificates(std::string_view holder) const;
  std::optional<CertificateMemberRecord> certificate_member(std::string_view certificate_id,
                                                            std::string_view farm_id) const;
  // The farms with a membership record of the certificate, sorted by id.
  std::vector<std::string> certificate_members(std::string_view certificate_id) const;
  // Lot ids whose origins include the farm, in creation order; empty when none.
  std::vector<std::string> farm_lots(std::string_view farm_id) const;
  uint64_t farm_lot_count(std::string_view farm_id) const;
  // Grams harvested from the plot in the UTC calendar year; 0 when none.
  uint64_t yield_tally(std::string_view farm_id, std::string_view plot_id, int64_t year) const;
  std::optional<PlotCellRecord> plot_cell(uint8_t depth, uint32_t x, uint32_t y) const;
  std::optional<PlotHistoryRecord> plot_history(std::string_view farm_id,
                                                std::string_view plot_id) const;
  // The geometries the plot had before its current one, oldest first; empty when never updated.
  std::vector<PlotRevisionRecord> plot_revisions(std::string_view farm_id,
                                                 std::string_view plot_id) const;
  uint64_t plot_assessment_count(std::string_view farm_id, std::string_view plot_id) const;
  std::optional<PlotAssessmentRecord> plot_assessment(std::string_view farm_id,
                                                      std::string_view plot_id,
                                                      uint64_t index) const;
  // The plot's latest assessment, or nullopt when it has none.
  std::optional<PlotAssessmentRecord> latest_assessment(std::string_view farm_id,
                                                        std::string_view plot_id) const;

  std::optional<ProposalRecord> proposal(std::string_view proposal_id) const;
  // The governors and the proposals; empty before genesis wrote it.
  GovernanceRecord governance() const;
  // The chain parameters in force. REQUIRES: the state was begun by genesis_state (a state
  // without them is corrupt).
  RuleParams params() const;
  // The nodes in force. REQUIRES: as params().
  NodeSetRecord nodes() const;

  bool has_org(std::string_view org_id) const;
  bool has_farm(std::string_view farm_id) const;
  bool has_certificate(std::string_view certificate_id) const;
  bool has_lot(std::string_view lot_id) const;
  bool has_export(std::string_view export_id) const;

  const StateReader& reader() const { return state_; }

 private:
  const StateReader& state_;
};

// Read-write view over an overlay. The overlay must outlive the view.
class World : public WorldView {
 public:
  explicit World(StateOverlay& state) : WorldView(state), overlay_(state) {}

  void put_org(const OrgRecord& r);
  void put_signing_key(const KeyRecord& r);
  void put_proposal(const ProposalRecord& r);
  void put_governance(const GovernanceRecord& r);
  void put_params(const RuleParams& r);
  void put_nodes(const NodeSetRecord& r);
  void put_farm(const FarmRecord& r);
  void put_certificate(const CertificateRecord& r);
  // Moves history entries beyond the latest kLotHistoryInline to their own keys first.
  void put_lot(const LotRecord& r);
  void put_export(const ExportRecord& r);

  // Adds the certificate id to the holder's index (kept sorted, each id once).
  void add_holder_certificate(std::string_view holder, std::string_view certificate_id);
  // Appends the lot id to the farm's lot list. REQUIRES: the lot is new (a harvest or a
  // processing output), so it is not on the list yet.
  void add_farm_lot(std::string_view farm_id, std::string_view lot_id);
  void put_yield_tally(const YieldTallyRecord& r);
  void put_plot_cell(const PlotCellRecord& r);
  void put_plot_history(const PlotHistoryRecord& r);
  // Stores the membership and lists the farm among the certificate's members.
  void put_certificate_member(const CertificateMemberRecord& r);
  // Stores a membership already listed (its farm has a record of it): a harvest's tally.
  void update_certificate_member(const CertificateMemberRecord& r);
  void put_plot_revision(const PlotRevisionRecord& r);
  // Stores the assessment as the plot's next (its index must be the current count).
  void add_plot_assessment(const PlotAssessmentRecord& r);

 private:
  StateOverlay& overlay_;
};

// Writes the records of a whole state change set into `out` (used by genesis_state): the same
// encodings as World, for callers that build a StateChanges map rather than an overlay.
template <typename Record>
void put_record(StateChanges& out, std::string key, const Record& r) {
  out.insert_or_assign(std::move(key), encode(r));
}

}  // namespace coopchain
