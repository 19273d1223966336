// A transaction outcome as the SubmitResponse that carries it between validators.
#pragma once

#include "coopchain/core/tx_outcome.h"
#include "coopchain/v1/api.pb.h"

namespace coopchain::net {

void to_proto(const TxOutcome& outcome, v1::SubmitResponse& response);
Result<TxOutcome> from_proto(const v1::SubmitResponse& response);

}  // namespace coopchain::net
