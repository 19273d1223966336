// Domain records to the client API's protobuf messages: the one place where the api edge
// translates core and state types into coopchain.v1 types.
#pragma once

#include "coopchain/core/block.h"
#include "coopchain/net/outcome_proto.h"
#include "coopchain/state/records.h"
#include "coopchain/state/state_view.h"
#include "coopchain/v1/api.pb.h"
#include "coopchain/wire/time_codec.h"

namespace coopchain::api {

using net::to_proto;
using wire::to_timestamp;
// `now` decides whether each claim holds (the head block's time).
v1::Lot to_proto(const LotRecord& lot, const StateReader& state, TimeMs now);
v1::Certificate to_proto(const CertificateRecord& cert, TimeMs now);

}  // namespace coopchain::api
