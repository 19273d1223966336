// Times between core's TimeMs (ms since the epoch) and protobuf's Timestamp, in one place.
#pragma once

#include <google/protobuf/timestamp.pb.h>

#include "coopchain/core/domain.h"

namespace coopchain::wire {

// Sub-millisecond parts are cut (toward the past), so every build reads a time the same way.
TimeMs to_ms(const google::protobuf::Timestamp& t);
google::protobuf::Timestamp to_timestamp(TimeMs t);

}  // namespace coopchain::wire
