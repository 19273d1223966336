#include "coopchain/node/clock_check.h"

#include <cstdlib>

#include "coopchain/core/civil_time.h"
#include "coopchain/core/quorum.h"

namespace coopchain {

std::optional<std::string> clock_disagreement(const std::vector<net::ClockOffset>& offsets,
                                              size_t validators, int64_t limit_ms) {
  std::string off;
  size_t count = 0;
  for (const auto& o : offsets) {
    if (std::llabs(o.offset_ms) <= limit_ms) continue;
    ++count;
    off += (off.empty() ? "" : ", ") + o.peer + " reads " + format_signed_seconds(o.offset_ms);
  }
  if (count < quorum_size(validators)) return std::nullopt;
  return "this node's clock disagrees with a majority of the validators (" + off +
         " against it; the chain allows " + format_signed_seconds(limit_ms).substr(1) +
         "): its blocks would be refused and its checks of event times wrong. Fix the clock "
         "(timedatectl; chrony or systemd-timesyncd) and start again";
}

std::optional<std::string> clock_outside_certificate(int64_t now_s,
                                                     const CertificateValidity& validity) {
  if (now_s < validity.not_before) {
    return "this node's clock is at least " + std::to_string(validity.not_before - now_s) +
           " s behind: it reads a time before its own TLS certificate became valid, so every "
           "peer's certificate looks not yet valid to it and every connection fails "
           "(\"certificate verify failed\"). Fix the clock (timedatectl; chrony or "
           "systemd-timesyncd) and start again";
  }
  if (now_s > validity.not_after) {
    return "this node's TLS certificate expired " + std::to_string(now_s - validity.not_after) +
           " s ago by this node's clock: renew it, or fix the clock if it is ahead";
  }
  return std::nullopt;
}

}  // namespace coopchain
