#include "outcome_proto.h"

#include "coopchain/core/rule_code.h"

namespace coopchain::net {

void to_proto(const TxOutcome& outcome, v1::SubmitResponse& response) {
  response.set_tx_id(to_hex(outcome.id));
  switch (outcome.state) {
    case TxState::kPending:
      response.set_state(v1::PENDING);
      break;
    case TxState::kCommitted:
      response.set_state(v1::COMMITTED);
      response.set_height(outcome.height);
      break;
    case TxState::kRejected:
      response.set_state(v1::REJECTED);
      response.set_rule_code(std::string(rule_code_name(outcome.verdict.code)));
      response.set_message(outcome.verdict.message);
      break;
    case TxState::kUnknown:
      response.set_state(v1::TX_STATE_UNSPECIFIED);
      break;
  }
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
    default:
      return Status::Internal("the leader answered with no state");
  }
  return outcome;
}

}  // namespace coopchain::net
