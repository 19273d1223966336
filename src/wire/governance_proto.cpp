#include "coopchain/wire/governance_proto.h"

#include <type_traits>
#include <variant>

#include "coopchain/core/hash.h"

namespace coopchain::wire {
namespace {

void set_parameters_to_proto(const SetParameters& c, v1::SetParameters* m) {
  if (c.coffee_yield_cap_g_per_ha) m->set_coffee_yield_cap_g_per_ha(*c.coffee_yield_cap_g_per_ha);
  if (c.cocoa_yield_cap_g_per_ha) m->set_cocoa_yield_cap_g_per_ha(*c.cocoa_yield_cap_g_per_ha);
  if (c.conversion_caps) {
    auto* caps = m->mutable_conversion_caps();
    for (const auto& cap : *c.conversion_caps) {
      auto* out = caps->add_caps();
      out->set_from(static_cast<v1::Form>(cap.from));
      out->set_to(static_cast<v1::Form>(cap.to));
      out->set_per_mille(cap.per_mille);
    }
  }
  if (c.future_skew_ms) m->set_future_skew_ms(*c.future_skew_ms);
  if (c.lateness_ms) m->set_lateness_ms(*c.lateness_ms);
  if (c.eu_countries) {
    auto* countries = m->mutable_eu_countries();
    for (const auto& country : *c.eu_countries) countries->add_countries(country);
  }
  if (c.eudr_polygon_min_area_m2) m->set_eudr_polygon_min_area_m2(*c.eudr_polygon_min_area_m2);
  if (c.max_block_txs) m->set_max_block_txs(*c.max_block_txs);
  if (c.max_block_bytes) m->set_max_block_bytes(*c.max_block_bytes);
  if (c.default_country) m->set_default_country(*c.default_country);
  if (c.eudr_require_assessment) m->set_eudr_require_assessment(*c.eudr_require_assessment);
  if (c.conversion_periods) {
    auto* periods = m->mutable_conversion_periods();
    for (const auto& period : *c.conversion_periods) {
      auto* out = periods->add_periods();
      out->set_scheme(static_cast<v1::Scheme>(period.scheme));
      out->set_months(period.months);
    }
  }
  if (c.reception_tolerance_bp) m->set_reception_tolerance_bp(*c.reception_tolerance_bp);
  if (c.governance_threshold_per_mille) {
    m->set_governance_threshold_per_mille(*c.governance_threshold_per_mille);
  }
}

}  // namespace

v1::GovernanceChange governance_change_to_proto(const GovernanceChange& change) {
  v1::GovernanceChange out;
  std::visit(
      [&](const auto& c) {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, AddOrganization>) {
          auto* m = out.mutable_add_organization();
          m->set_org_id(c.org_id);
          m->set_name(c.name);
          m->set_kind(static_cast<v1::OrganizationKind>(c.kind));
          for (const auto& k : c.public_keys) m->add_public_keys(to_hex(k));
        } else if constexpr (std::is_same_v<C, SetOrganizationStatus>) {
          auto* m = out.mutable_set_organization_status();
          m->set_org_id(c.org_id);
          m->set_status(static_cast<v1::OrganizationStatus>(c.status));
        } else if constexpr (std::is_same_v<C, SetAccreditation>) {
          auto* m = out.mutable_set_accreditation();
          m->set_org_id(c.org_id);
          m->set_scheme(static_cast<v1::Scheme>(c.scheme));
          m->set_accredited(c.accredited);
        } else if constexpr (std::is_same_v<C, AddOrganizationKey>) {
          auto* m = out.mutable_add_organization_key();
          m->set_org_id(c.org_id);
          m->set_public_key(to_hex(c.public_key));
        } else if constexpr (std::is_same_v<C, RevokeOrganizationKey>) {
          auto* m = out.mutable_revoke_organization_key();
          m->set_org_id(c.org_id);
          m->set_key_id(c.key_id);
        } else if constexpr (std::is_same_v<C, SetParameters>) {
          set_parameters_to_proto(c, out.mutable_set_parameters());
        } else if constexpr (std::is_same_v<C, AddNode>) {
          auto* m = out.mutable_add_node();
          m->set_node_id(c.node_id);
          m->set_org_id(c.org_id);
          m->set_role(static_cast<v1::NodeRole>(c.role));
          m->set_vote_key(to_hex(c.vote_key));
          m->set_tls_pin(to_hex(c.tls_pin));
          m->set_peer_address(c.peer_address);
        } else if constexpr (std::is_same_v<C, PromoteNode>) {
          out.mutable_promote_node()->set_node_id(c.node_id);
        } else if constexpr (std::is_same_v<C, RemoveNode>) {
          out.mutable_remove_node()->set_node_id(c.node_id);
        } else {
          static_assert(std::is_same_v<C, RotateNode>);
          auto* m = out.mutable_rotate_node();
          m->set_node_id(c.node_id);
          m->set_vote_key(to_hex(c.vote_key));
          m->set_tls_pin(to_hex(c.tls_pin));
          m->set_peer_address(c.peer_address);
        }
      },
      change);
  return out;
}

v1::GenesisParams params_to_proto(const RuleParams& params) {
  v1::GenesisParams out;
  v1::GenesisParams* p = &out;
  const RuleParams& r = params;
  p->set_coffee_yield_cap_g_per_ha(r.coffee_yield_cap_g_per_ha);
  p->set_cocoa_yield_cap_g_per_ha(r.cocoa_yield_cap_g_per_ha);
  for (const auto& c : r.conversion_caps) {
    auto* cap = p->add_conversion_caps();
    cap->set_from(static_cast<v1::Form>(c.from));
    cap->set_to(static_cast<v1::Form>(c.to));
    cap->set_per_mille(c.per_mille);
  }
  p->set_future_skew_ms(r.future_skew_ms);
  p->set_lateness_ms(r.lateness_ms);
  for (const auto& c : r.eu_countries) p->add_eu_countries(c);
  p->set_eudr_polygon_min_area_m2(r.eudr_polygon_min_area_m2);
  p->set_max_block_txs(r.max_block_txs);
  p->set_max_block_bytes(r.max_block_bytes);
  p->set_default_country(r.default_country);
  p->set_eudr_require_assessment(r.eudr_require_assessment);
  p->set_reception_tolerance_bp(r.reception_tolerance_bp);
  p->set_governance_threshold_per_mille(r.governance_threshold_per_mille);
  for (const auto& c : r.conversion_periods) {
    auto* period = p->add_conversion_periods();
    period->set_scheme(static_cast<v1::Scheme>(c.scheme));
    period->set_months(c.months);
  }
  // An empty list would read back as the defaults: "none" is said with a period of 0 months.
  if (r.conversion_periods.empty()) p->add_conversion_periods()->set_scheme(v1::EU_ORGANIC);
  return out;
}

}  // namespace coopchain::wire
