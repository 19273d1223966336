// Rules::apply: the fixed order of checks every transaction goes through (shape, chain, replay,
// signer, role), then the event's own rules under a savepoint that is kept only on accept.
#include "coopchain/rules/rules.h"

#include <type_traits>
#include <variant>

#include "event_rules.h"

namespace coopchain {

using namespace rules_internal;

Rules::Rules(const Genesis& genesis) : genesis_(genesis) {}

Verdict Rules::check_shape(const Transaction& tx) const {
  return check_event_shape(tx.event);
}

Verdict Rules::apply(StateOverlay& state, const Transaction& tx, const BlockContext& ctx) const {
  if (Verdict v = check_shape(tx); !v.ok()) return v;
  if (tx.chain_id != genesis_.chain_id) {
    return Verdict::reject(RuleCode::kWrongChain, "transaction is for chain '" + tx.chain_id +
                                                      "', this is '" + genesis_.chain_id + "'");
  }
  if (state.has_transaction(tx.id)) {
    return Verdict::reject(RuleCode::kDuplicateTx,
                           "transaction " + to_hex(tx.id) + " is already committed");
  }

  StateOverlay::Savepoint savepoint(state);
  World world(state);
  OrgRecord signer;
  if (Verdict v = load_signer(world, tx, &signer); !v.ok()) return v;
  if (!role_allowed(signer.kind, tx.event)) {
    return Verdict::reject(RuleCode::kRoleNotAllowed, std::string(name_of(signer.kind)) + " " +
                                                          signer.id + " may not submit " +
                                                          std::string(event_type_name(tx.event)));
  }

  // The parameters in force: a governance change made by an earlier transaction applies.
  const RuleParams params = world.params();
  const EventContext ectx{params, ctx, tx, signer};
  Verdict v = std::visit(
      [&](const auto& e) -> Verdict {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, RegisterFarm>) return apply_register_farm(world, ectx, e);
        if constexpr (std::is_same_v<E, Harvest>) return apply_harvest(world, ectx, e);
        if constexpr (std::is_same_v<E, Processing>) return apply_processing(world, ectx, e);
        if constexpr (std::is_same_v<E, IssueCertificate>) {
          return apply_issue_certificate(world, ectx, e);
        }
        if constexpr (std::is_same_v<E, ChangeCertificateStatus>) {
          return apply_change_certificate_status(world, ectx, e);
        }
        if constexpr (std::is_same_v<E, CertifyLot>) return apply_certify_lot(world, ectx, e);
        if constexpr (std::is_same_v<E, Transfer>) return apply_transfer(world, ectx, e);
        if constexpr (std::is_same_v<E, Export>) return apply_export(world, ectx, e);
        if constexpr (std::is_same_v<E, UpdatePlot>) return apply_update_plot(world, ectx, e);
        if constexpr (std::is_same_v<E, AssessPlot>) return apply_assess_plot(world, ectx, e);
        if constexpr (std::is_same_v<E, SetCertificateMember>) {
          return apply_set_certificate_member(world, ectx, e);
        }
        if constexpr (std::is_same_v<E, HoldLot>) return apply_hold_lot(world, ectx, e);
        if constexpr (std::is_same_v<E, ReleaseLot>) return apply_release_lot(world, ectx, e);
        if constexpr (std::is_same_v<E, ReceiveLot>) return apply_receive_lot(world, ectx, e);
        if constexpr (std::is_same_v<E, SetYieldEstimate>) {
          return apply_set_yield_estimate(world, ectx, e);
        }
        if constexpr (std::is_same_v<E, ApproveYieldEstimate>) {
          return apply_approve_yield_estimate(world, ectx, e);
        }
        if constexpr (std::is_same_v<E, ProposeChange>) return apply_propose_change(world, ectx, e);
        if constexpr (std::is_same_v<E, ApproveChange>) return apply_approve_change(world, ectx, e);
        if constexpr (std::is_same_v<E, WithdrawProposal>) {
          return apply_withdraw_proposal(world, ectx, e);
        }
        if constexpr (std::is_same_v<E, AddKey>) return apply_add_key(world, ectx, e);
        if constexpr (std::is_same_v<E, RevokeKey>) return apply_revoke_key(world, ectx, e);
      },
      tx.event);
  if (!v.ok()) return v;
  state.add_transaction(tx.id);
  savepoint.keep();
  return v;
}

}  // namespace coopchain
