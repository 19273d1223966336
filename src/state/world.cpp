#include "coopchain/state/world.h"

#include <algorithm>

#include "coopchain/core/fatal.h"

namespace coopchain {
namespace {

// Reads and decodes one record; an undecodable value is corrupt state (see world.h).
template <typename Record, typename Decode>
std::optional<Record> read(const StateReader& state, const std::string& key, Decode decode) {
  std::optional<std::string> bytes = state.get(key);
  if (!bytes) return std::nullopt;
  std::optional<Record> rec = decode(*bytes);
  if (!rec) {
    fatal("corrupt state record at key '" + key + "'");
  }
  return rec;
}

}  // namespace

std::optional<OrgRecord> WorldView::org(std::string_view id) const {
  return read<OrgRecord>(state_, org_key(id), decode_org);
}

std::optional<KeyRecord> WorldView::signing_key(std::string_view key_id) const {
  return read<KeyRecord>(state_, signing_key_key(key_id), decode_key);
}

std::optional<ProposalRecord> WorldView::proposal(std::string_view proposal_id) const {
  return read<ProposalRecord>(state_, proposal_key(proposal_id), decode_proposal);
}

GovernanceRecord WorldView::governance() const {
  return read<GovernanceRecord>(state_, governance_key(), decode_governance)
      .value_or(GovernanceRecord{});
}

RuleParams WorldView::params() const {
  std::optional<RuleParams> p = read<RuleParams>(state_, params_key(), decode_params);
  if (!p) fatal("the state holds no chain parameters (params/): it was not begun by a genesis");
  return std::move(*p);
}

NodeSetRecord WorldView::nodes() const {
  std::optional<NodeSetRecord> n = read<NodeSetRecord>(state_, nodes_key(), decode_nodes);
  if (!n) fatal("the state holds no node set (nodes/): it was not begun by a genesis");
  return std::move(*n);
}

std::optional<FarmRecord> WorldView::farm(std::string_view id) const {
  return read<FarmRecord>(state_, farm_key(id), decode_farm);
}

std::optional<CertificateRecord> WorldView::certificate(std::string_view id) const {
  return read<CertificateRecord>(state_, certificate_key(id), decode_certificate);
}

std::optional<LotRecord> WorldView::lot(std::string_view id) const {
  return read<LotRecord>(state_, lot_key(id), decode_lot);
}

std::vector<LotEventRecord> WorldView::full_history(const LotRecord& lot) const {
  std::vector<LotEventRecord> out;
  out.reserve(static_cast<size_t>(lot.earlier_events) + lot.history.size());
  for (uint64_t i = 0; i < lot.earlier_events; ++i) {
    auto entry = read<LotEventRecord>(state_, lot_history_key(lot.lot_id, i), decode_lot_event);
    if (!entry) fatal("the state lacks entry " + std::to_string(i) + " of lot " + lot.lot_id);
    out.push_back(std::move(*entry));
  }
  out.insert(out.end(), lot.history.begin(), lot.history.end());
  return out;
}

std::optional<ExportRecord> WorldView::export_record(std::string_view id) const {
  return read<ExportRecord>(state_, export_key(id), decode_export);
}

std::vector<std::string> WorldView::holder_certificates(std::string_view holder) const {
  auto rec = read<HolderCertificatesRecord>(state_, holder_certificates_key(holder),
                                            decode_holder_certificates);
  return rec ? std::move(rec->certificate_ids) : std::vector<std::string>{};
}

std::optional<CertificateMemberRecord> WorldView::certificate_member(
    std::string_view certificate_id, std::string_view farm_id) const {
  return read<CertificateMemberRecord>(state_, certificate_member_key(certificate_id, farm_id),
                                       decode_certificate_member);
}

std::vector<std::string> WorldView::certificate_members(std::string_view certificate_id) const {
  auto rec = read<CertificateMembersRecord>(state_, certificate_members_key(certificate_id),
                                            decode_certificate_members);
  return rec ? std::move(rec->farm_ids) : std::vector<std::string>{};
}

std::vector<std::string> WorldView::farm_lots(std::string_view farm_id) const {
  std::vector<std::string> out;
  const uint64_t count = farm_lot_count(farm_id);
  out.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    auto rec = read<FarmLotRecord>(state_, farm_lot_key(farm_id, i), decode_farm_lot);
    if (rec) out.push_back(std::move(rec->lot_id));
  }
  return out;
}

uint64_t WorldView::farm_lot_count(std::string_view farm_id) const {
  auto rec = read<FarmLotsRecord>(state_, farm_lots_key(farm_id), decode_farm_lots);
  return rec ? rec->count : 0;
}

uint64_t WorldView::yield_tally(std::string_view farm_id, std::string_view plot_id,
                                int64_t year) const {
  auto rec =
      read<YieldTallyRecord>(state_, yield_tally_key(farm_id, plot_id, year), decode_yield_tally);
  return rec ? rec->mass_g : 0;
}

bool WorldView::has_org(std::string_view id) const {
  return state_.get(org_key(id)).has_value();
}
bool WorldView::has_farm(std::string_view id) const {
  return state_.get(farm_key(id)).has_value();
}
bool WorldView::has_certificate(std::string_view id) const {
  return state_.get(certificate_key(id)).has_value();
}
bool WorldView::has_lot(std::string_view id) const {
  return state_.get(lot_key(id)).has_value();
}
bool WorldView::has_export(std::string_view id) const {
  return state_.get(export_key(id)).has_value();
}

void World::put_org(const OrgRecord& r) {
  overlay_.put(org_key(r.id), encode(r));
}
void World::put_signing_key(const KeyRecord& r) {
  overlay_.put(signing_key_key(r.key_id), encode(r));
}
void World::put_proposal(const ProposalRecord& r) {
  overlay_.put(proposal_key(r.proposal_id), encode(r));
}
void World::put_governance(const GovernanceRecord& r) {
  overlay_.put(governance_key(), encode(r));
}
void World::put_params(const RuleParams& r) {
  overlay_.put(params_key(), encode(r));
}
void World::put_nodes(const NodeSetRecord& r) {
  overlay_.put(nodes_key(), encode(r));
}
void World::put_farm(const FarmRecord& r) {
  overlay_.put(farm_key(r.farm_id), encode(r));
}
void World::put_certificate(const CertificateRecord& r) {
  overlay_.put(certificate_key(r.certificate_id), encode(r));
}
void World::put_lot(const LotRecord& r) {
  if (r.history.size() <= kLotHistoryInline) {
    overlay_.put(lot_key(r.lot_id), encode(r));
    return;
  }
  LotRecord kept = r;
  const size_t moved = r.history.size() - kLotHistoryInline;
  for (size_t i = 0; i < moved; ++i) {
    overlay_.put(lot_history_key(r.lot_id, r.earlier_events + i), encode(r.history[i]));
  }
  kept.history.erase(kept.history.begin(),
                     kept.history.begin() + static_cast<std::ptrdiff_t>(moved));
  kept.earlier_events += moved;
  overlay_.put(lot_key(r.lot_id), encode(kept));
}
void World::put_export(const ExportRecord& r) {
  overlay_.put(export_key(r.export_id), encode(r));
}

void World::add_holder_certificate(std::string_view holder, std::string_view certificate_id) {
  HolderCertificatesRecord rec{std::string(holder), holder_certificates(holder)};
  auto it =
      std::lower_bound(rec.certificate_ids.begin(), rec.certificate_ids.end(), certificate_id);
  if (it != rec.certificate_ids.end() && *it == certificate_id) return;
  rec.certificate_ids.insert(it, std::string(certificate_id));
  overlay_.put(holder_certificates_key(holder), encode(rec));
}

void World::put_certificate_member(const CertificateMemberRecord& r) {
  overlay_.put(certificate_member_key(r.certificate_id, r.farm_id), encode(r));
  CertificateMembersRecord members{r.certificate_id, certificate_members(r.certificate_id)};
  auto it = std::lower_bound(members.farm_ids.begin(), members.farm_ids.end(), r.farm_id);
  if (it != members.farm_ids.end() && *it == r.farm_id) return;
  members.farm_ids.insert(it, r.farm_id);
  overlay_.put(certificate_members_key(r.certificate_id), encode(members));
}

void World::update_certificate_member(const CertificateMemberRecord& r) {
  overlay_.put(certificate_member_key(r.certificate_id, r.farm_id), encode(r));
}

void World::add_farm_lot(std::string_view farm_id, std::string_view lot_id) {
  const uint64_t index = farm_lot_count(farm_id);
  overlay_.put(farm_lot_key(farm_id, index),
               encode(FarmLotRecord{std::string(farm_id), index, std::string(lot_id)}));
  overlay_.put(farm_lots_key(farm_id), encode(FarmLotsRecord{std::string(farm_id), index + 1}));
}

std::optional<PlotCellRecord> WorldView::plot_cell(uint8_t depth, uint32_t x, uint32_t y) const {
  return read<PlotCellRecord>(state_, plot_cell_key(depth, x, y), decode_plot_cell);
}

std::optional<PlotHistoryRecord> WorldView::plot_history(std::string_view farm_id,
                                                         std::string_view plot_id) const {
  return read<PlotHistoryRecord>(state_, plot_history_key(farm_id, plot_id), decode_plot_history);
}

std::vector<PlotRevisionRecord> WorldView::plot_revisions(std::string_view farm_id,
                                                          std::string_view plot_id) const {
  std::vector<PlotRevisionRecord> out;
  const std::optional<PlotHistoryRecord> history = plot_history(farm_id, plot_id);
  if (!history) return out;
  for (uint64_t i = 0; i < history->earlier; ++i) {
    auto revision = read<PlotRevisionRecord>(state_, plot_revision_key(farm_id, plot_id, i),
                                             decode_plot_revision);
    if (!revision) {
      fatal("the state lacks geometry " + std::to_string(i) + " of plot " + std::string(plot_id) +
            " of farm " + std::string(farm_id));
    }
    out.push_back(std::move(*revision));
  }
  return out;
}

uint64_t WorldView::plot_assessment_count(std::string_view farm_id,
                                          std::string_view plot_id) const {
  auto r = read<PlotAssessmentsRecord>(state_, plot_assessments_key(farm_id, plot_id),
                                       decode_plot_assessments);
  return r ? r->count : 0;
}

std::optional<PlotAssessmentRecord> WorldView::plot_assessment(std::string_view farm_id,
                                                               std::string_view plot_id,
                                                               uint64_t index) const {
  return read<PlotAssessmentRecord>(state_, plot_assessment_key(farm_id, plot_id, index),
                                    decode_plot_assessment);
}

std::optional<PlotAssessmentRecord> WorldView::latest_assessment(std::string_view farm_id,
                                                                 std::string_view plot_id) const {
  const uint64_t count = plot_assessment_count(farm_id, plot_id);
  if (count == 0) return std::nullopt;
  auto latest = plot_assessment(farm_id, plot_id, count - 1);
  if (!latest) {
    fatal("the state lacks assessment " + std::to_string(count - 1) + " of plot " +
          std::string(plot_id) + " of farm " + std::string(farm_id));
  }
  return latest;
}

void World::add_plot_assessment(const PlotAssessmentRecord& r) {
  overlay_.put(plot_assessment_key(r.farm_id, r.plot_id, r.index), encode(r));
  overlay_.put(plot_assessments_key(r.farm_id, r.plot_id),
               encode(PlotAssessmentsRecord{r.farm_id, r.plot_id, r.index + 1}));
}

void World::put_plot_history(const PlotHistoryRecord& r) {
  overlay_.put(plot_history_key(r.farm_id, r.plot_id), encode(r));
}

void World::put_plot_revision(const PlotRevisionRecord& r) {
  overlay_.put(plot_revision_key(r.farm_id, r.plot_id, r.index), encode(r));
}

void World::put_plot_cell(const PlotCellRecord& r) {
  overlay_.put(plot_cell_key(r.depth, r.x, r.y), encode(r));
}

void World::put_yield_tally(const YieldTallyRecord& r) {
  overlay_.put(yield_tally_key(r.farm_id, r.plot_id, r.year), encode(r));
}

}  // namespace coopchain
