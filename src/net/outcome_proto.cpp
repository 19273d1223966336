#include "coopchain/net/outcome_proto.h"

#include "coopchain/core/rule_code.h"

namespace coopchain::net {

v1::TxState to_proto(TxState state) {
  switch (state) {
    case TxState::kPending:
      return v1::PENDING;
    case TxState::kCommitted:
      return v1::COMMITTED;
    case TxState::kRejected:
      return v1::REJECTED;
    case TxState::kDropped:
      return v1::DROPPED;
    case TxState::kUnknown:
      break;
  }
  return v1::TX_STATE_UNSPECIFIED;
}

void to_proto(const TxOutcome& outcome, v1::SubmitResponse& response) {
  response.set_tx_id(to_hex(outcome.id));
  response.set_state(to_proto(outcome.state));
  if (outcome.state == TxState::kCommitted) response.set_height(outcome.height);
  if (outcome.state == TxState::kRejected) {
    response.set_rule_code(std::string(rule_code_name(outcome.verdict.code)));
    response.set_message(outcome.verdict.message);
  }
  if (outcome.state == TxState::kDropped) response.set_message(outcome.reason);
}

Result<TxOutcome> from_proto(const v1::SubmitResponse& response) {
  TxOutcome outcome;
  auto id = hash_from_hex(response.tx_id());
  if (!id) return Status::Internal("the leader answered with a bad tx id");
  outcome.id = *id;
  switch (response.state()) {
    case v1::PENDING:
      outcome.state = TxState::kPending;
      break;
    case v1::COMMITTED:
      outcome.state = TxState::kCommitted;
      outcome.height = response.height();
      break;
    case v1::REJECTED: {
      outcome.state = TxState::kRejected;
      auto code = parse_rule_code(response.rule_code());
      if (!code)
        return Status::Internal("the leader answered with rule code " + response.rule_code());
      outcome.verdict = Verdict::reject(*code, response.message());
      break;
    }
    case v1::DROPPED:
      outcome.state = TxState::kDropped;
      outcome.reason = response.message();
      break;
    default:
      return Status::Internal("the leader answered with no state");
  }
  return outcome;
}

}  // namespace coopchain::net
