// A transaction outcome in the client API's messages: the SubmitResponse that carries it between
// validators (and to clients), and its state.
#pragma once

#include "coopchain/core/tx_outcome.h"
#include "coopchain/v1/api.pb.h"

namespace coopchain::net {

v1::TxState to_proto(TxState state);
void to_proto(const TxOutcome& outcome, v1::SubmitResponse& response);
Result<TxOutcome> from_proto(const v1::SubmitResponse& response);

}  // namespace coopchain::net
