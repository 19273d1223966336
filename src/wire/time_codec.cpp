#include "coopchain/wire/time_codec.h"

namespace coopchain::wire {

TimeMs to_ms(const google::protobuf::Timestamp& t) {
  return t.seconds() * 1000 + t.nanos() / 1'000'000;
}

google::protobuf::Timestamp to_timestamp(TimeMs t) {
  google::protobuf::Timestamp ts;
  int64_t seconds = t / 1000;
  int64_t ms = t % 1000;
  if (ms < 0) {  // protobuf wants non-negative nanos, also before 1970
    ms += 1000;
    --seconds;
  }
  ts.set_seconds(seconds);
  ts.set_nanos(static_cast<int32_t>(ms * 1'000'000));
  return ts;
}

}  // namespace coopchain::wire
